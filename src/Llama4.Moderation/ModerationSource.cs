namespace Llama4.Moderation;

/// <summary>Where a piece of text comes from; moderators apply different rules to different sources.</summary>
public enum ModerationSource
{
    /// <summary>Text a user wrote (a user message, a prompt template's input).</summary>
    User,

    /// <summary>Text the model generated (an assistant reply).</summary>
    Assistant,

    /// <summary>The arguments of a tool call the model requested, checked before the tool runs.</summary>
    ToolArguments,

    /// <summary>What a tool returned, checked before the model reads it (indirect prompt injection arrives here).</summary>
    ToolResult,

    /// <summary>A retrieved document (RAG context), checked before the model reads it.</summary>
    Document,
}
