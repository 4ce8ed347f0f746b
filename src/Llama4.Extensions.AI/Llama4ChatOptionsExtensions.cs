using Llama4.Core;

namespace Microsoft.Extensions.AI;

/// <summary>The typed way to pass Llama 4 engine knobs (min-p, repetition penalty, ...) through <see cref="ChatOptions"/>.</summary>
public static class Llama4ChatOptionsExtensions
{
    /// <summary>
    /// Attaches Llama 4 sampling settings to the options through <see cref="ChatOptions.RawRepresentationFactory"/>.
    /// Values set here win over the matching <see cref="ChatOptions"/> properties; values left unset fall back to them,
    /// then to the model's defaults. Clients of other providers ignore it.
    /// </summary>
    /// <param name="options">The chat options.</param>
    /// <param name="sampling">The settings, for example <c>new() { MinP = 0.05f, RepeatPenalty = 1.1f }</c>.</param>
    /// <returns>The same options, for chaining.</returns>
    public static ChatOptions WithLlama4Sampling(this ChatOptions options, Llama4SamplingOptions sampling)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sampling);
        var previous = options.RawRepresentationFactory;
        options.RawRepresentationFactory = client =>
        {
            var earlier = previous?.Invoke(client);
            if (client is not Llama4.Extensions.AI.Llama4ChatClient)
            {
                // Another provider's client asked: hand it what it was given before, untouched.
                return earlier;
            }

            return earlier is Llama4SamplingOptions llama4 ? sampling.WithFallback(llama4) : sampling;
        };
        return options;
    }
}
