using System.Diagnostics;
using System.Runtime.CompilerServices;
using ContentAgent.Diagnostics;
using ContentAgent.Generation;
using ContentAgent.Leasing;
using ContentAgent.Learning;
using ContentAgent.Planning;
using ContentAgent.Providers;
using ContentAgent.Quality;
using ContentAgent.Resilience;
using ContentAgent.Storage;
using ContentAgent.Tenancy;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Timeout;

namespace ContentAgent.Batches;

/// <summary>
/// Runs a batch in waves of at most <see cref="ContentAgentOptions.MaxParallelPosts"/> posts. Every post of a wave is
/// prompted with the same learning context; after the wave, its learnings merge in index order (so the outcome does not
/// depend on which post finished first), the context is compacted when due, and a checkpoint is asked when due. Waves
/// never straddle a checkpoint. Each post is saved on its own, at each transition; a failed post is a value, not an
/// exception, so the batch goes on.
/// </summary>
internal sealed class BatchRunner : IBatchRunner
{
    private readonly IChatClient _chatClient;
    private readonly IQualityScorer _scorer;
    private readonly IContextCompactor _compactor;
    private readonly ICheckpointGate _gate;
    private readonly IBatchStore _store;
    private readonly ILeaseKeeper _leases;
    private readonly Tokenizer _tokenizer;
    private readonly ResiliencePipelineProvider<string> _pipelines;
    private readonly IOptionsMonitor<ContentAgentOptions> _options;
    private readonly ChatProviderOptions _chat;
    private readonly TimeProvider _timeProvider;
    private readonly BatchInstruments _instruments;
    private readonly ILogger _logger;

    /// <summary>The fewest output tokens worth asking for when a post's budget is nearly spent.</summary>
    private const int MinimumOutputTokens = 16;

    public BatchRunner(
        IChatClient chatClient,
        IQualityScorer scorer,
        IContextCompactor compactor,
        ICheckpointGate gate,
        IBatchStore store,
        ILeaseKeeper leases,
        Tokenizer tokenizer,
        ResiliencePipelineProvider<string> pipelines,
        IOptionsMonitor<ContentAgentOptions> options,
        IOptions<ChatProviderOptions> chatOptions,
        TimeProvider timeProvider,
        BatchInstruments instruments,
        ILogger<BatchRunner> logger)
    {
        _chatClient = chatClient;
        _scorer = scorer;
        _compactor = compactor;
        _gate = gate;
        _store = store;
        _leases = leases;
        _tokenizer = tokenizer;
        _pipelines = pipelines;
        _options = options;
        _chat = chatOptions.Value;
        _timeProvider = timeProvider;
        _instruments = instruments;
        _logger = logger;
    }

    public IAsyncEnumerable<BatchEvent> RunAsync(BatchPlan plan, CancellationToken cancellationToken = default) =>
        RunAsync(plan, retryFailed: false, cancellationToken);

    public IAsyncEnumerable<BatchEvent> RetryFailedAsync(BatchPlan plan, CancellationToken cancellationToken = default) =>
        RunAsync(plan, retryFailed: true, cancellationToken);

    private async IAsyncEnumerable<BatchEvent> RunAsync(BatchPlan plan, bool retryFailed, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // A run whose lease is lost stops with the LeaseException that says why, not a bare cancellation.
        var held = new StrongBox<IHeldLease?>();
        var events = RunCoreAsync(plan, retryFailed, held, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (events.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await events.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (OperationCanceledException ex) when (held.Value?.Loss is { } loss && !cancellationToken.IsCancellationRequested)
                {
                    throw new LeaseException($"Batch {plan.PlanId} stopped: {loss.Message}", loss.Key, loss.Owner, loss.ExpiresAt, lost: true, ex);
                }

                yield return events.Current;
            }
        }
    }

    private async IAsyncEnumerable<BatchEvent> RunCoreAsync(BatchPlan plan, bool retryFailed, StrongBox<IHeldLease?> held, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ValidatePlan(plan);
        var options = _options.CurrentValue;
        var key = new BatchKey(plan.TenantId, plan.PlanId);
        var total = plan.Posts.Count;
        var started = _timeProvider.GetTimestamp();
        using var batchActivity = Telemetry.ActivitySource.StartActivity("contentagent.batch");
        batchActivity?.SetTag("contentagent.plan_id", plan.PlanId);
        batchActivity?.SetTag("contentagent.tenant_id", plan.TenantId);
        batchActivity?.SetTag("contentagent.posts", total);

        await _store.SavePlanAsync(plan, cancellationToken).ConfigureAwait(false);

        // One runner per batch: the keeper takes the lease, keeps it renewed, and gives it back however the run ends.
        var lease = await _leases.AcquireAsync(new LeaseKey(plan.TenantId, LeaseScopes.Batch, plan.PlanId), options.LeaseDuration, cancellationToken).ConfigureAwait(false);
        held.Value = lease;
        await using (lease.ConfigureAwait(false))
        {
            using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
            var runToken = run.Token;
            var posts = new PostResult?[total];
            foreach (var stored in await _store.GetPostsAsync(key, runToken).ConfigureAwait(false))
            {
                if (stored.Index >= 1 && stored.Index <= total)
                {
                    posts[stored.Index - 1] = stored;
                }
            }

            var runState = await _store.GetRunStateAsync(key, runToken).ConfigureAwait(false);
            var learning = new LearningContext(_tokenizer, runState?.Learnings ?? []);
            var postsSinceCompaction = runState?.PostsSinceCompaction ?? 0;
            var compactions = runState?.Compactions ?? 0;
            var checkpoints = runState?.Checkpoints ?? 0;

            // The context a prompt would carry without compaction: every earlier post and its learnings, as the seed system did.
            long history = 0;
            var processed = 0;
            var usage = new TokenUsage();
            foreach (var stored in posts)
            {
                usage.Add(stored);
            }

            string? stopReason = null;
            var pending = new Queue<PostSpec>(total);
            var scores = new ScoreAccumulator();
            foreach (var spec in plan.Posts)
            {
                var post = posts[spec.Index - 1];
                if (post is { Status: PostStatus.Done } || (post is { Status: PostStatus.Failed } && !retryFailed))
                {
                    processed++;
                    scores.Add(post);
                    history += post.Text is null || post.Status != PostStatus.Done ? 0 : _tokenizer.CountTokens(post.Text) + CountLearningTokens(post);
                }
                else
                {
                    pending.Enqueue(spec);
                }
            }

            var alreadyFinished = processed;
            var checkpointsActive = total >= options.CheckpointEvery;
            Log.BatchStarted(_logger, plan.PlanId, plan.TenantId, total, processed, options.MaxParallelPosts);
            yield return new BatchStarted(plan.TenantId, plan.PlanId, _timeProvider.GetUtcNow(), total, processed, lease.TakenOverFrom);

            async Task<(CheckpointStats Stats, CheckpointDecision Decision)> CheckpointAsync(int number)
            {
                var elapsed = _timeProvider.GetElapsedTime(started);
                var stats = new CheckpointStats(
                    plan.PlanId,
                    number,
                    total,
                    scores.Done,
                    scores.Failed,
                    scores.AverageScore,
                    scores.Trend,
                    elapsed,
                    BatchStatistics.EstimateRemaining(elapsed, processed - alreadyFinished, pending.Count));

                // Recorded as pending while the gate decides: a run that dies here asks the same checkpoint again on resume.
                await SaveRunStateAsync(key, BatchStatus.Running, learning, postsSinceCompaction, compactions, checkpoints, runToken, pendingCheckpoint: number).ConfigureAwait(false);
                var decision = await _gate.DecideAsync(stats, runToken).ConfigureAwait(false);
                Log.Checkpoint(_logger, plan.PlanId, number, processed, decision);
                await SaveRunStateAsync(key, BatchStatus.Running, learning, postsSinceCompaction, compactions, checkpoints, runToken).ConfigureAwait(false);
                return (stats, decision);
            }

            var status = BatchStatus.Running;
            if (runState?.PendingCheckpoint is { } unanswered && pending.Count > 0)
            {
                var (stats, decision) = await CheckpointAsync(unanswered).ConfigureAwait(false);
                yield return new CheckpointReached(plan.TenantId, plan.PlanId, _timeProvider.GetUtcNow(), stats, decision);
                if (decision != CheckpointDecision.Continue)
                {
                    status = decision == CheckpointDecision.Pause ? BatchStatus.Paused : BatchStatus.Stopped;
                }
            }

            var waveResults = new List<PostOutcome>(options.MaxParallelPosts);
            var transientFailures = new List<PostSpec>();
            var swept = false;
            do
            {
                while (status == BatchStatus.Running && pending.Count > 0)
                {
                    runToken.ThrowIfCancellationRequested();
                    var waveSize = Math.Min(options.MaxParallelPosts, pending.Count);
                    if (checkpointsActive)
                    {
                        waveSize = Math.Min(waveSize, options.CheckpointEvery - (processed % options.CheckpointEvery));
                    }

                    var (contextText, contextTokens) = learning.Render();
                    if (options.MaxTokensPerBatch > 0)
                    {
                        // Tokens used so far (as reported) plus what the wave is expected to need: shrink the wave to fit, or stop.
                        var perPost = usage.PerPostEstimate ?? (CountTokens(PostPrompt.Build(pending.Peek(), options.BrandVoice, contextText)) + _chat.MaxOutputTokens);
                        var fits = (int)Math.Min(waveSize, Math.Max(0, (options.MaxTokensPerBatch - usage.Total) / Math.Max(1, perPost)));
                        if (fits == 0)
                        {
                            status = BatchStatus.Suspended;
                            stopReason = string.Create(
                                System.Globalization.CultureInfo.InvariantCulture,
                                $"The batch's token budget would be passed: {usage.Total:N0} of ContentAgent:MaxTokensPerBatch = {options.MaxTokensPerBatch:N0} tokens are used and the next post needs about {perPost:N0}. Raise the budget and resume batch {plan.PlanId}.");
                            break;
                        }

                        waveSize = fits;
                    }

                    var wave = new PostSpec[waveSize];
                    for (var i = 0; i < waveSize; i++)
                    {
                        wave[i] = pending.Dequeue();
                        yield return new PostStarted(plan.TenantId, plan.PlanId, _timeProvider.GetUtcNow(), wave[i], contextTokens);
                    }

                    var work = new PostWork(key, contextText, contextTokens, history, options, batchActivity);
                    waveResults.Clear();
                    if (waveSize == 1)
                    {
                        var outcome = await ProcessPostAsync(work, wave[0], posts[wave[0].Index - 1], runToken).ConfigureAwait(false);
                        if (outcome.Interrupted is not null)
                        {
                            stopReason ??= outcome.Interrupted;
                        }
                        else
                        {
                            waveResults.Add(outcome);
                            processed++;
                            posts[wave[0].Index - 1] = outcome.Result;
                            yield return ToEvent(plan, outcome.Result, processed, total);
                        }
                    }
                    else
                    {
                        var tasks = new Task<PostOutcome>[waveSize];
                        for (var i = 0; i < waveSize; i++)
                        {
                            tasks[i] = ProcessPostAsync(work, wave[i], posts[wave[i].Index - 1], runToken);
                        }

                        await foreach (var task in Task.WhenEach(tasks).WithCancellation(runToken).ConfigureAwait(false))
                        {
                            var outcome = await task.ConfigureAwait(false);
                            if (outcome.Interrupted is not null)
                            {
                                stopReason ??= outcome.Interrupted;
                                continue;
                            }

                            waveResults.Add(outcome);
                            processed++;
                            posts[outcome.Result.Index - 1] = outcome.Result;
                            yield return ToEvent(plan, outcome.Result, processed, total);
                        }

                        waveResults.Sort(static (a, b) => a.Result.Index.CompareTo(b.Result.Index));
                    }

                    foreach (var outcome in waveResults)
                    {
                        scores.Add(outcome.Result);
                        usage.Replace(outcome.Previous, outcome.Result);
                        if (outcome.TransientFailure)
                        {
                            transientFailures.Add(outcome.Result.Spec);
                        }

                        // Without compaction, the context would carry the post itself and its learnings from now on.
                        history += outcome.TextTokens + learning.Add(outcome.Result.Learnings);
                        postsSinceCompaction++;
                    }

                    var tokensNow = learning.Tokens;
                    if (learning.Count > 0 && (postsSinceCompaction >= options.CompactEvery || tokensNow > options.LearningContextTokenBudget))
                    {
                        var before = learning.Count;
                        var compaction = await _compactor.CompactAsync(new CompactionRequest(learning.Learnings, options.CompactionTargetTokens), runToken).ConfigureAwait(false);
                        learning.Replace(compaction.Learnings);
                        postsSinceCompaction = 0;
                        compactions++;
                        var tokensAfter = learning.Tokens;
                        _instruments.Compactions.Add(1, new KeyValuePair<string, object?>("contentagent.compaction.method", compaction.Method));
                        Log.Compacted(_logger, plan.PlanId, compaction.Method, tokensNow, tokensAfter);
                        yield return new ContextCompacted(plan.TenantId, plan.PlanId, _timeProvider.GetUtcNow(), tokensNow, tokensAfter, before, learning.Count, compaction.Method);
                    }

                    if (stopReason is not null)
                    {
                        // The provider's circuit opened: the posts it stopped stay unwritten, and the batch waits for a resume.
                        status = BatchStatus.Suspended;
                        break;
                    }

                    await SaveRunStateAsync(key, status, learning, postsSinceCompaction, compactions, checkpoints, runToken).ConfigureAwait(false);

                    if (checkpointsActive && processed % options.CheckpointEvery == 0 && pending.Count > 0)
                    {
                        checkpoints++;
                        var (stats, decision) = await CheckpointAsync(checkpoints).ConfigureAwait(false);
                        yield return new CheckpointReached(plan.TenantId, plan.PlanId, _timeProvider.GetUtcNow(), stats, decision);
                        if (decision != CheckpointDecision.Continue)
                        {
                            status = decision == CheckpointDecision.Pause ? BatchStatus.Paused : BatchStatus.Stopped;
                            break;
                        }
                    }
                }

                // One more round, at the end, for the posts that failed transiently: the provider may have recovered by now.
                if (status == BatchStatus.Running && !swept && options.RetryFailedPostsAtEnd && transientFailures.Count > 0)
                {
                    swept = true;
                    foreach (var spec in transientFailures.OrderBy(static s => s.Index))
                    {
                        scores.Forget(posts[spec.Index - 1]!);
                        processed--;
                        pending.Enqueue(spec);
                    }

                    transientFailures.Clear();
                }
            }
            while (status == BatchStatus.Running && pending.Count > 0);

            var allPosts = new PostResult[total];
            for (var i = 0; i < total; i++)
            {
                allPosts[i] = posts[i] ?? Planned(plan.Posts[i]);
            }

            if (status == BatchStatus.Running)
            {
                status = allPosts.Any(static p => p.Status == PostStatus.Failed) ? BatchStatus.CompletedWithFailures : BatchStatus.Completed;
            }

            if (status == BatchStatus.Suspended)
            {
                Log.BatchSuspended(_logger, plan.PlanId, processed, stopReason ?? "unknown");
            }

            await SaveRunStateAsync(key, status, learning, postsSinceCompaction, compactions, checkpoints, runToken, stopReason: stopReason).ConfigureAwait(false);
            var duration = _timeProvider.GetElapsedTime(started);
            var batchResult = new BatchResult(plan, status, allPosts, BatchStatistics.ContextTokens(allPosts), compactions, learning.Learnings, duration, stopReason);
            _instruments.BatchDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("contentagent.batch.status", status.ToString()));
            batchActivity?.SetTag("contentagent.batch.status", status.ToString());
            Log.BatchEnded(_logger, plan.PlanId, status, batchResult.Succeeded, batchResult.Failed, batchResult.AverageScore, (long)duration.TotalMilliseconds);
            yield return new BatchCompleted(plan.TenantId, plan.PlanId, _timeProvider.GetUtcNow(), batchResult);
        }
    }

    private static BatchEvent ToEvent(BatchPlan plan, PostResult result, int processed, int total) =>
        result.Status == PostStatus.Done
            ? new PostCompleted(plan.TenantId, plan.PlanId, result.CompletedAt ?? default, result, processed, total)
            : new PostFailed(plan.TenantId, plan.PlanId, result.CompletedAt ?? default, result, processed, total);

    private static PostResult Planned(PostSpec spec) => BatchStatistics.Planned(spec);

    private static void ValidatePlan(BatchPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentException.ThrowIfNullOrWhiteSpace(plan.PlanId, nameof(plan));
        TenantIds.Validate(plan.TenantId, nameof(plan));
        if (plan.Posts is null || plan.Posts.Count == 0)
        {
            throw new ArgumentException("The plan has no posts.", nameof(plan));
        }

        for (var i = 0; i < plan.Posts.Count; i++)
        {
            if (plan.Posts[i] is null || plan.Posts[i].Index != i + 1)
            {
                throw new ArgumentException($"The plan's posts must be numbered 1 to {plan.Posts.Count} in order; position {i + 1} holds index {plan.Posts[i]?.Index}.", nameof(plan));
            }
        }
    }

    private int CountLearningTokens(PostResult post)
    {
        var tokens = 0;
        foreach (var learning in post.Learnings)
        {
            tokens += _tokenizer.CountTokens(PostPrompt.RenderLine(learning));
        }

        return tokens;
    }

    private ValueTask SaveRunStateAsync(BatchKey key, BatchStatus status, LearningContext learning, int postsSinceCompaction, int compactions, int checkpoints, CancellationToken cancellationToken, int? pendingCheckpoint = null, string? stopReason = null) =>
        _store.SaveRunStateAsync(key, new BatchRunState(status, [.. learning.Learnings], postsSinceCompaction, compactions, checkpoints, _timeProvider.GetUtcNow(), pendingCheckpoint, stopReason), cancellationToken);

    private async Task<PostOutcome> ProcessPostAsync(PostWork work, PostSpec spec, PostResult? previous, CancellationToken cancellationToken)
    {
        var started = _timeProvider.GetTimestamp();
        using var activity = Telemetry.ActivitySource.StartActivity("contentagent.post", ActivityKind.Internal, work.Parent?.Context ?? default);
        activity?.SetTag("contentagent.plan_id", work.Key.PlanId);
        activity?.SetTag("contentagent.post.index", spec.Index);
        activity?.SetTag("contentagent.post.platform", spec.Platform.ToString());

        // A retried post keeps its history: earlier attempts count, earlier errors are kept.
        var retried = previous is { Status: PostStatus.Failed };
        var priorAttempts = retried ? previous!.Attempts : 0;
        IReadOnlyList<string>? priorErrors = retried ? [.. previous!.PriorErrors ?? [], previous.Error ?? "failed"] : null;
        var writing = Planned(spec) with
        {
            Status = PostStatus.Writing,
            Attempts = priorAttempts,
            ContextTokens = work.ContextTokens,
            UncompactedContextTokens = work.UncompactedTokens,
            PriorErrors = priorErrors,
        };
        await _store.SavePostAsync(work.Key, writing, cancellationToken).ConfigureAwait(false);

        var attempts = 0;

        // A retried post carries the tokens and cost of its earlier attempts: budgets and reports count every attempt.
        long inputTokens = retried ? previous!.InputTokens : 0, outputTokens = retried ? previous!.OutputTokens : 0;
        decimal? cost = retried ? previous!.Cost : null;
        var transient = false;
        var postBudget = work.Options.MaxTokensPerPost;
        string? error = null;
        Draft? written = null;

        PostResult Finish(PostStatus status, string? text, QualityScore? score, IReadOnlyList<ContentAgent.Learning.Learning> learnings, string? reason) =>
            writing with
            {
                Status = status,
                Text = text,
                Score = score,
                Attempts = priorAttempts + attempts,
                Error = reason,
                Learnings = learnings,
                InputTokens = inputTokens,
                OutputTokens = outputTokens,
                Cost = cost,
                Duration = _timeProvider.GetElapsedTime(started),
                CompletedAt = _timeProvider.GetUtcNow(),
            };

        try
        {
            var pipeline = _pipelines.GetPipeline(ResiliencePipelines.Post);
            var draft = await pipeline.ExecuteAsync(
                async token =>
                {
                    var attempt = Interlocked.Increment(ref attempts);
                    try
                    {
                        var messages = PostPrompt.Build(spec, work.Options.BrandVoice, work.ContextText);

                        // Counted only when needed (a budget, or a provider that reports no usage): the tokenizer is on the hot path.
                        var promptTokens = postBudget > 0 ? CountTokens(messages) : -1;
                        ChatOptions? chatOptions = null;
                        if (postBudget > 0)
                        {
                            // The post's budget: what is left after earlier attempts, given to the provider as the output limit.
                            var left = postBudget - (inputTokens + outputTokens);
                            if (left - promptTokens < MinimumOutputTokens)
                            {
                                throw new ChatProviderException(
                                    string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Post {spec.Index} would pass its token budget: its prompt needs {promptTokens} tokens and {Math.Max(0, left)} of ContentAgent:MaxTokensPerPost = {postBudget} are left."),
                                    isTransient: false);
                            }

                            chatOptions = new ChatOptions { MaxOutputTokens = (int)Math.Min(left - promptTokens, _chat.MaxOutputTokens) };
                        }

                        // WaitAsync: a client that ignores its token still cannot hold the post past its timeout.
                        var response = await _chatClient.GetResponseAsync(messages, chatOptions, token).WaitAsync(token).ConfigureAwait(false);
                        var text = response.Text.Trim();

                        // Counted before the call, reconciled with what the provider reports.
                        var textTokens = response.Usage?.OutputTokenCount ?? _tokenizer.CountTokens(text);
                        var callInput = response.Usage?.InputTokenCount ?? (promptTokens >= 0 ? promptTokens : CountTokens(messages));
                        inputTokens += callInput;
                        outputTokens += textTokens;
                        cost = AddCost(cost, response.ModelId, callInput, textTokens);
                        if (text.Length == 0)
                        {
                            throw new InvalidOperationException("The chat client returned an empty post.");
                        }

                        var score = await _scorer.ScoreAsync(spec, text, token).AsTask().WaitAsync(token).ConfigureAwait(false);
                        return new Draft(text, score, textTokens);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException && attempt < work.Options.MaxAttempts)
                    {
                        Log.PostRetry(_logger, work.Key.PlanId, spec.Index, attempt, ex.Message);
                        throw;
                    }
                },
                cancellationToken).ConfigureAwait(false);

            written = draft;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The whole batch is cancelled: the post stays in Writing, to be written again by a later run.
            throw;
        }
        catch (Exception ex) when (ex is BrokenCircuitException or IsolatedCircuitException)
        {
            // The provider is failing for every post: this one stays in Writing, to be written when the batch resumes.
            activity?.SetStatus(ActivityStatusCode.Error, "circuit open");
            return new PostOutcome(writing, 0, string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"The chat provider is failing: its circuit breaker opened ({ex.GetType().Name}) and calls are refused for ContentAgent:Chat:CircuitBreaker:BreakDuration = {_chat.CircuitBreaker.BreakDuration}. Finished posts are kept; resume batch {work.Key.PlanId} once the provider is back."));
        }
        catch (TimeoutRejectedException)
        {
            error = $"Timed out after {work.Options.PostTimeout} (ContentAgent:PostTimeout).";
            transient = true;
        }
        catch (Exception ex)
        {
            error = $"Failed after {attempts} attempt(s): {OneLine(ex)}";
            transient = TransientFailures.IsTransient(ex);
        }

        if (written is not null)
        {
            // Outside the catches above: a store that cannot record the post is the store's failure, not the post's.
            var learnings = LearningExtractor.Extract(spec, written.Score);
            var done = Finish(PostStatus.Done, written.Text, written.Score, learnings, reason: null);
            await _store.SavePostAsync(work.Key, done, cancellationToken).ConfigureAwait(false);
            _instruments.PostsGenerated.Add(1, new KeyValuePair<string, object?>("contentagent.post.platform", spec.Platform.ToString()));
            _instruments.PostDuration.Record(done.Duration.TotalSeconds);
            _instruments.PostScore.Record(written.Score.Overall);
            _instruments.ContextTokens.Record(work.ContextTokens);
            Log.PostDone(_logger, work.Key.PlanId, spec.Index, written.Score.Overall, done.Attempts, (long)done.Duration.TotalMilliseconds);
            Log.PostText(_logger, work.Key.PlanId, spec.Index, written.Text);
            return new PostOutcome(done, written.TextTokens, Previous: previous);
        }

        error ??= "Failed for an unknown reason.";
        var failed = Finish(PostStatus.Failed, null, null, [], error);
        await _store.SavePostAsync(work.Key, failed, cancellationToken).ConfigureAwait(false);
        _instruments.PostsFailed.Add(1, new KeyValuePair<string, object?>("contentagent.post.platform", spec.Platform.ToString()));
        activity?.SetStatus(ActivityStatusCode.Error, error);
        Log.PostFailed(_logger, work.Key.PlanId, spec.Index, attempts, error);
        return new PostOutcome(failed, 0, Previous: previous, TransientFailure: transient);
    }

    /// <summary>Adds a call's cost from the price table; the model is the one the provider reported, else the configured one.</summary>
    private decimal? AddCost(decimal? cost, string? modelId, long input, long output)
    {
        var model = modelId ?? _chat.Model ?? _chatClient.GetService<ChatClientMetadata>()?.DefaultModelId;
        if (model is null || !_chat.Prices.TryGetValue(model, out var price) || price is null)
        {
            return cost;
        }

        return (cost ?? 0m) + (((input * price.InputPerMillionTokens) + (output * price.OutputPerMillionTokens)) / 1_000_000m);
    }

    private int CountTokens(List<ChatMessage> messages)
    {
        var tokens = 0;
        foreach (var message in messages)
        {
            tokens += _tokenizer.CountTokens(message.Text);
        }

        return tokens;
    }

    private static string OneLine(Exception ex)
    {
        var message = $"{ex.GetType().Name}: {ex.Message}".ReplaceLineEndings(" ");
        return message.Length <= 300 ? message : string.Concat(message.AsSpan(0, 297), "...");
    }

    /// <summary>A written and scored post inside the resilience pipeline. Its ToString never shows the text, because Polly's telemetry logs results.</summary>
    private sealed class Draft(string text, QualityScore score, long textTokens)
    {
        public string Text { get; } = text;

        public QualityScore Score { get; } = score;

        public long TextTokens { get; } = textTokens;

        public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"post draft ({Text.Length} characters, score {Score.Overall:F1})");
    }

    /// <summary>A finished post and the tokens of its text (as the chat client reported them, or counted).</summary>
    /// <remarks><see cref="Interrupted"/>, when set, says why the post was not written at all (the provider's circuit is open).</remarks>
    private readonly record struct PostOutcome(PostResult Result, long TextTokens, string? Interrupted = null, PostResult? Previous = null, bool TransientFailure = false);

    /// <summary>Tokens a batch has used, over all its runs, and what a post costs on average.</summary>
    private sealed class TokenUsage
    {
        private int _posts;

        public long Total { get; private set; }

        public long? PerPostEstimate => _posts == 0 ? null : (Total + _posts - 1) / _posts;

        public void Add(PostResult? post)
        {
            if (post is not null && post.InputTokens + post.OutputTokens > 0)
            {
                Total += post.InputTokens + post.OutputTokens;
                _posts++;
            }
        }

        /// <summary>Counts a post's new result; a retried post's result carries its earlier tokens, counted before.</summary>
        public void Replace(PostResult? previous, PostResult current)
        {
            if (previous is not null && previous.InputTokens + previous.OutputTokens > 0)
            {
                Total -= previous.InputTokens + previous.OutputTokens;
                _posts--;
            }

            Add(current);
        }
    }

    private sealed record PostWork(BatchKey Key, string ContextText, int ContextTokens, long UncompactedTokens, ContentAgentOptions Options, Activity? Parent);
}
