namespace Llama4.Core.Inference;

/// <summary>Work the inference loop runs between decodes on behalf of a caller (saving or restoring a sequence).</summary>
internal abstract class LoopCommand
{
    /// <summary>Runs the command on the loop; returns false when it must wait (for example for a busy sequence) and be tried again.</summary>
    public abstract bool TryRun();

    /// <summary>Fails the command (the engine is shutting down).</summary>
    public abstract void Fail(Exception error);
}
