using System.Text.Json;
using CustomerService.Agent;
using Llama4.Core;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace CustomerService.Conversation;

/// <summary>
/// Keeps the conversation in the data folder so it survives a restart: the Agent Framework session (its chat history,
/// serialized by the agent) in <c>session.json</c>, and the engine's KV cache of the conversation in
/// <c>session.l4kv</c>, so the first turn after a restart does not re-process the history.
/// </summary>
internal sealed class ConversationStore(string dataDirectory)
{
    public string SessionPath { get; } = Path.Combine(dataDirectory, "session.json");

    public string KvSessionPath { get; } = Path.Combine(dataDirectory, "session.l4kv");

    public bool HasSavedSession => File.Exists(SessionPath);

    /// <summary>Loads the saved session, or creates a new one when there is none or <paramref name="resume"/> is false.</summary>
    public async Task<AgentSession> LoadOrCreateAsync(AIAgent agent, bool resume, CancellationToken cancellationToken)
    {
        if (!resume || !HasSavedSession)
        {
            Delete();
            return await agent.CreateSessionAsync(cancellationToken).ConfigureAwait(false);
        }

        JsonElement state;
        await using (var file = File.OpenRead(SessionPath))
        {
            try
            {
                state = (await JsonDocument.ParseAsync(file, cancellationToken: cancellationToken).ConfigureAwait(false)).RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"The saved session '{SessionPath}' is not valid JSON ({e.Message}); delete it or run with --new to start a new conversation.", e);
            }
        }

        return await agent.DeserializeSessionAsync(state, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the session (to a temporary file first, so a crash never leaves half a file).</summary>
    public async Task SaveAsync(AIAgent agent, AgentSession session, CancellationToken cancellationToken)
    {
        var state = await agent.SerializeSessionAsync(session, cancellationToken: cancellationToken).ConfigureAwait(false);
        var temporary = SessionPath + ".tmp";
        await using (var file = File.Create(temporary))
        {
            await JsonSerializer.SerializeAsync(file, state, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        File.Move(temporary, SessionPath, overwrite: true);
    }

    /// <summary>Saves the KV cache of the last request the model answered; returns what was saved.</summary>
    public async Task<Llama4SessionInfo?> SaveKvAsync(SupportAgent agent, CancellationToken cancellationToken)
    {
        if (agent.ModelInput.LastRequest is not { } request)
        {
            return null;
        }

        var temporary = KvSessionPath + ".tmp";
        Llama4SessionInfo info;
        await using (var file = File.Create(temporary))
        {
            info = await agent.ModelClient.SaveSessionAsync(request.Messages, file, request.Options, cancellationToken).ConfigureAwait(false);
        }

        File.Move(temporary, KvSessionPath, overwrite: true);
        return info;
    }

    /// <summary>Restores the saved KV cache into the engine; <see langword="null"/> when there is none.</summary>
    /// <exception cref="Llama4SessionException">The file belongs to another model or configuration, or is damaged.</exception>
    public async Task<Llama4SessionInfo?> RestoreKvAsync(SupportAgent agent, CancellationToken cancellationToken)
    {
        if (!File.Exists(KvSessionPath))
        {
            return null;
        }

        await using var file = File.OpenRead(KvSessionPath);
        return await agent.ModelClient.RestoreSessionAsync(file, cancellationToken).ConfigureAwait(false);
    }

    public static IReadOnlyList<ChatMessage> GetHistory(AgentSession session) =>
        session.TryGetInMemoryChatHistory(out var messages) ? messages : [];

    private void Delete()
    {
        File.Delete(SessionPath);
        File.Delete(KvSessionPath);
    }
}
