using Microsoft.Extensions.AI;

namespace ContentAgent.Benchmarks;

/// <summary>Returns a fixed, realistic post at once, with usage: an instant fake LLM, so the cost around it shows.</summary>
internal sealed class InstantChatClient : IChatClient
{
    private static readonly ChatResponse Response = new(new ChatMessage(
        ChatRole.Assistant,
        "3 things we learned shipping weekly for a year.\n\nWe cut our release checklist from 40 steps to 12. Lead time fell from 9 days to 2.\n\n" +
        "For example, we moved reviews to the morning and merged by noon.\n\nWhat would you cut first? Reply below.\n\n#Engineering #Shipping #DevOps"))
    {
        Usage = new UsageDetails { InputTokenCount = 400, OutputTokenCount = 60, TotalTokenCount = 460 },
    };

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(Response);

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Response.ToChatResponseUpdates().ToAsyncEnumerable();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
