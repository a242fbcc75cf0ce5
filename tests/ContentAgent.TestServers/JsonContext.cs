using System.Text.Json.Serialization;

namespace ContentAgent.Tests.Servers;

[JsonSerializable(typeof(string))]
internal sealed partial class JsonContext : JsonSerializerContext;
