using Microsoft.ML.Tokenizers;

namespace ContentAgent.Generation;

/// <summary>The shared o200k_base tokenizer (GPT-4o family), created once on first use.</summary>
internal static class DefaultTokenizer
{
    private static readonly Lazy<Tokenizer> Shared = new(static () => TiktokenTokenizer.CreateForModel("gpt-4o"), LazyThreadSafetyMode.ExecutionAndPublication);

    public static Tokenizer Instance => Shared.Value;
}
