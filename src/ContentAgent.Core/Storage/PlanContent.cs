using System.Text.Json;
using ContentAgent.Planning;

namespace ContentAgent.Storage;

/// <summary>Whether a stored plan and one saved again under its key are the same plan: compared as their stored JSON.</summary>
internal static class PlanContent
{
    public static string Serialize(BatchPlan plan) => JsonSerializer.Serialize(plan, StoreJsonContext.Default.BatchPlan);

    /// <summary>Gets whether <paramref name="stored"/> serializes to <paramref name="json"/> (a missing plan never does).</summary>
    public static bool Same(BatchPlan? stored, string json) => stored is not null && string.Equals(Serialize(stored), json, StringComparison.Ordinal);
}
