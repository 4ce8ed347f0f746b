using Microsoft.Extensions.Options;

namespace Llama4.Moderation.Internal;

/// <summary>Runs an options type's own <c>Validate()</c> (a list of messages) for the options pattern.</summary>
internal sealed class ListOptionsValidator<TOptions>(Func<TOptions, IReadOnlyList<string>> validate) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = validate(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
