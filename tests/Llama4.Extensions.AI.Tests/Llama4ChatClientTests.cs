using System.Text.Json;
using Llama4.Core;
using Llama4.Extensions.AI;
using Llama4.Testing;
using Microsoft.Extensions.AI;

namespace Llama4.Extensions.AI.Tests;

public sealed class Llama4ChatClientTests(EngineFixture fixture) : IClassFixture<EngineFixture>, IDisposable
{
    private static readonly ChatMessage[] Conversation =
    [
        new(ChatRole.System, "You are a helpful assistant."),
        new(ChatRole.User, "Tell me about llamas."),
    ];

    private readonly Llama4ChatClient _client = new(fixture.Engine);

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task GetResponseAsync_AndStreaming_SameSeedGiveSameText()
    {
        var options = new ChatOptions { Seed = 1234, MaxOutputTokens = 20 };

        // Both compared runs start from the same cached prompt (a first, uncached run may differ in the last bits of
        // its logits, and so in sampled tokens: llama.cpp's arithmetic depends on the batch shape).
        await _client.GetResponseAsync(Conversation, new ChatOptions { MaxOutputTokens = 1 }, TestContext.Current.CancellationToken);
        var response = await _client.GetResponseAsync(Conversation, options, TestContext.Current.CancellationToken);
        var updates = await _client.GetStreamingResponseAsync(Conversation, options, TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal(response.Text, updates.ToChatResponse().Text);
        Assert.Equal(response.FinishReason, updates.ToChatResponse().FinishReason);
    }

    [Fact]
    public async Task GetResponseAsync_Usage_MatchesTokenizerCounts()
    {
        var response = await _client.GetResponseAsync(Conversation, new ChatOptions { Seed = 5, MaxOutputTokens = 10 }, TestContext.Current.CancellationToken);

        var prompt = Llama4PromptFormatter.Format(Llama4ChatMapper.ToLlama4Messages(Conversation, instructions: null));
        Assert.NotNull(response.Usage);
        Assert.Equal(fixture.Engine.CountTokens(prompt), response.Usage.InputTokenCount);
        Assert.InRange(response.Usage.OutputTokenCount!.Value, 1, 10);
        Assert.Equal(response.Usage.InputTokenCount + response.Usage.OutputTokenCount, response.Usage.TotalTokenCount);
        Assert.InRange(response.Usage.CachedInputTokenCount!.Value, 0, response.Usage.InputTokenCount!.Value - 1);
        Assert.NotNull(response.Usage.AdditionalCounts);
        Assert.True(response.Usage.AdditionalCounts.ContainsKey(Llama4UsageCounts.TimeToFirstTokenMilliseconds));
        Assert.Equal(fixture.Engine.ModelId, response.ModelId);
        Assert.NotNull(response.ResponseId);
        Assert.Equal(ChatRole.Assistant, Assert.Single(response.Messages).Role);
    }

    [Fact]
    public async Task GetResponseAsync_MaxOutputTokens_FinishReasonLength()
    {
        var lengths = 0;
        for (var seed = 1; seed <= 4; seed++)
        {
            var response = await _client.GetResponseAsync(Conversation, new ChatOptions { Seed = seed, MaxOutputTokens = 6 }, TestContext.Current.CancellationToken);
            if (response.FinishReason == ChatFinishReason.Length)
            {
                lengths++;
                Assert.Equal(6, response.Usage!.OutputTokenCount);
            }
            else
            {
                Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
            }
        }

        Assert.True(lengths >= 2);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_Updates_FollowProviderConventions()
    {
        var updates = await _client.GetStreamingResponseAsync(Conversation, new ChatOptions { Seed = 77, MaxOutputTokens = 16 }, TestContext.Current.CancellationToken)
            .ToListAsync(TestContext.Current.CancellationToken);

        Assert.NotEmpty(updates);
        Assert.All(updates, u => Assert.Equal(ChatRole.Assistant, u.Role));
        Assert.Single(updates.Select(u => u.MessageId).Distinct());
        Assert.Single(updates.Select(u => u.ResponseId).Distinct());
        Assert.All(updates, u => Assert.Equal(fixture.Engine.ModelId, u.ModelId));
        Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>());
        Assert.All(updates.SelectMany(u => u.Contents), c => Assert.True(c is TextContent or UsageContent));
        var final = updates[^1];
        Assert.NotNull(final.FinishReason);
        Assert.Single(final.Contents.OfType<UsageContent>());
        Assert.All(updates[..^1], u => Assert.Null(u.FinishReason));
    }

    [Fact]
    public async Task GetResponseAsync_StopSequence_IsHonoured()
    {
        // Both compared runs start from the same cached prompt: a first, uncached run may differ in the last bits of its
        // logits (llama.cpp's arithmetic depends on the batch shape, and random weights sample from flat distributions).
        await _client.GetResponseAsync(Conversation, new ChatOptions { Seed = 21, MaxOutputTokens = 1 }, TestContext.Current.CancellationToken);
        var reference = await _client.GetResponseAsync(Conversation, new ChatOptions { Seed = 21, MaxOutputTokens = 40 }, TestContext.Current.CancellationToken);
        Assert.True(reference.Text.Length >= 12);
        var stop = reference.Text.Substring(reference.Text.Length / 2, 3);

        var stopped = await _client.GetResponseAsync(
            Conversation,
            new ChatOptions { Seed = 21, MaxOutputTokens = 40, StopSequences = [stop] },
            TestContext.Current.CancellationToken);

        Assert.Equal(ChatFinishReason.Stop, stopped.FinishReason);
        Assert.Equal(reference.Text[..reference.Text.IndexOf(stop, StringComparison.Ordinal)], stopped.Text);
    }

    [Fact]
    public async Task GetResponseAsync_Response_SurvivesJsonRoundTrip()
    {
        var response = await _client.GetResponseAsync(Conversation, new ChatOptions { Seed = 3, MaxOutputTokens = 8 }, TestContext.Current.CancellationToken);

        var json = JsonSerializer.Serialize(response, AIJsonUtilities.DefaultOptions);
        var back = JsonSerializer.Deserialize<ChatResponse>(json, AIJsonUtilities.DefaultOptions);

        Assert.NotNull(back);
        Assert.Equal(response.Text, back.Text);
        Assert.Equal(response.Usage!.TotalTokenCount, back.Usage!.TotalTokenCount);
    }

    [Fact]
    public async Task GetResponseAsync_ConcurrentCallers_AllComplete()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            _client.GetResponseAsync([new ChatMessage(ChatRole.User, $"Question {i}")], new ChatOptions { Seed = i, MaxOutputTokens = 8 }, TestContext.Current.CancellationToken)));

        Assert.All(responses, r => Assert.NotNull(r.FinishReason));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CancelledMidStream_FreesSequence()
    {
        using var cts = new CancellationTokenSource();
        var count = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in _client.GetStreamingResponseAsync(Conversation, new ChatOptions { Seed = 8 }, cts.Token))
            {
                if (++count == 2)
                {
                    await cts.CancelAsync();
                }
            }
        });

        Assert.Equal(0, fixture.Engine.GetStatistics().LiveSequences);
        var next = await _client.GetResponseAsync(Conversation, new ChatOptions { Seed = 8, MaxOutputTokens = 4 }, TestContext.Current.CancellationToken);
        Assert.NotNull(next.FinishReason);
    }

    [Fact]
    public void WithLlama4Sampling_TypedHelper_ReachesLlama4ClientsOnly()
    {
        var foreign = new object();
        var options = new ChatOptions { TopK = 3, RawRepresentationFactory = _ => foreign }
            .WithLlama4Sampling(new Llama4SamplingOptions { MinP = 0.07f, RepeatPenalty = 1.1f });

        var sampling = Llama4ChatMapper.ToSampling(options, _client);

        Assert.Equal(0.07f, sampling.MinP);
        Assert.Equal(1.1f, sampling.RepeatPenalty);
        Assert.Equal(3, sampling.TopK);
        using var other = new ChatClientBuilder(_client).ConfigureOptions(_ => { }).Build();
        Assert.Same(foreign, options.RawRepresentationFactory!(other));
    }

    [Fact]
    public void GetService_ReturnsMetadataModelInfoEngineAndSelf()
    {
        var metadata = _client.GetService<ChatClientMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal(Llama4ChatClient.ProviderName, metadata.ProviderName);
        Assert.Equal(fixture.Engine.ModelId, metadata.DefaultModelId);
        Assert.Null(metadata.ProviderUri);
        Assert.Same(metadata, _client.GetService<ChatClientMetadata>());
        Assert.Same(fixture.Engine.Model, _client.GetService<Llama4ModelInfo>());
        Assert.Same(fixture.Engine, _client.GetService<Llama4Engine>());
        Assert.Same(_client, _client.GetService<Llama4ChatClient>());
        Assert.Same(_client, _client.GetService<IChatClient>());
        Assert.Null(_client.GetService<Llama4Engine>("some key"));
        Assert.Null(_client.GetService<string>());
    }

    [Fact]
    public async Task GetResponseAsync_ImageWithoutProjector_ThrowsNoProjectorNamingProjectorPath()
    {
        var message = new ChatMessage(ChatRole.User, [new TextContent("What is this?"), new DataContent(TestImages.Png(8, 8), "image/png")]);

        var ex = await Assert.ThrowsAsync<Llama4ImageException>(() => _client.GetResponseAsync([message], cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(Llama4ImageProblem.NoProjector, ex.Problem);
        Assert.Contains("ProjectorPath", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dispose_LeavesSharedEngineUsable()
    {
        var client = new Llama4ChatClient(fixture.Engine);

        client.Dispose();

        Assert.Throws<ObjectDisposedException>(() => client.GetStreamingResponseAsync(Conversation, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(16, fixture.Engine.MaxParallelSequences);
        Assert.NotNull(_client.GetStreamingResponseAsync(Conversation, new ChatOptions { MaxOutputTokens = 1 }, TestContext.Current.CancellationToken));
    }
}
