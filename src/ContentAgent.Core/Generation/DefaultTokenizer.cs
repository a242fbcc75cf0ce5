using Microsoft.ML.Tokenizers;

namespace ContentAgent.Generation;

/// <summary>
/// The tokenizer ContentAgent counts tokens with when none is supplied: the o200k_base encoding of gpt-4o, created once,
/// lazily and thread-safely, from the embedded data of Microsoft.ML.Tokenizers.Data.O200kBase (no network).
/// </summary>
internal static class DefaultTokenizer
{
    private static readonly Lazy<Tokenizer> s_instance =
        new(static () => TiktokenTokenizer.CreateForModel("gpt-4o"), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Gets the shared tokenizer.</summary>
    public static Tokenizer Instance => s_instance.Value;
}
