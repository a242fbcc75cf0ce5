using System.Text.Json.Serialization;
using ContentAgent.Batches;
using ContentAgent.Planning;

namespace ContentAgent.Storage;

/// <summary>The JSON shapes of stored records (source-generated: no reflection).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(BatchPlan))]
[JsonSerializable(typeof(PostResult))]
[JsonSerializable(typeof(BatchRunState))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;
