using System.Globalization;
using Llama4.Core;
using Llama4.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Llama4.Hosting;

/// <summary>
/// Validates at host start what <c>AddLlama4</c> binds, with messages that name the configuration path of each bad
/// setting: the engine options (their own <see cref="Llama4EngineOptions.Validate"/>, then the GGUF pre-flight checks
/// of the model file), the chat client, resilience and hosting sections, and keys that bind to nothing (typos).
/// </summary>
internal sealed class Llama4ConfigurationValidator :
    IValidateOptions<Llama4EngineOptions>,
    IValidateOptions<Llama4ChatClientOptions>,
    IValidateOptions<Llama4ResilienceOptions>,
    IValidateOptions<Llama4HostingOptions>
{
    private readonly IConfiguration _section;
    private readonly string _path;

    public Llama4ConfigurationValidator(IConfiguration section)
    {
        _section = section;
        _path = (section as IConfigurationSection)?.Path ?? string.Empty;
    }

    public ValidateOptionsResult Validate(string? name, Llama4EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!IsDefault(name))
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = options.Validate().Select(e => Prefix(_path, e)).ToList();
        if (errors.Count == 0)
        {
            CheckModelFile(options, errors);
        }

        return Result(errors);
    }

    public ValidateOptionsResult Validate(string? name, Llama4ChatClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!IsDefault(name))
        {
            return ValidateOptionsResult.Skip;
        }

        var section = Key(_path, Llama4ConfigurationSchema.ChatClientSection);
        var errors = new List<string>();
        CheckDefined(errors, section, nameof(options.ToolPlacement), options.ToolPlacement);
        CheckDefined(errors, section, nameof(options.ToolCallStyle), options.ToolCallStyle);
        CheckDefined(errors, section, nameof(options.ContextOverflow), options.ContextOverflow);
        return Result(errors);
    }

    public ValidateOptionsResult Validate(string? name, Llama4ResilienceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!IsDefault(name))
        {
            return ValidateOptionsResult.Skip;
        }

        var section = Key(_path, Llama4ConfigurationSchema.ResilienceSection);
        return Result(options.Validate().Select(e => Prefix(section, e)).ToList());
    }

    public ValidateOptionsResult Validate(string? name, Llama4HostingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!IsDefault(name))
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = new List<string>();
        if (options.ShutdownDrainTimeout < TimeSpan.Zero || options.ShutdownDrainTimeout > TimeSpan.FromDays(1))
        {
            errors.Add($"{Key(Key(_path, Llama4ConfigurationSchema.HostingSection), nameof(options.ShutdownDrainTimeout))} is {options.ShutdownDrainTimeout}; " +
                $"it must be between 00:00:00 (cancel at once) and one day (default {Llama4HostingOptions.DefaultShutdownDrainTimeout}).");
        }

        // The whole section is checked here, once: the hosting options are validated whatever else is configured.
        errors.AddRange(Llama4ConfigurationSchema.FindUnknownKeys(_section, _path));
        return Result(errors);
    }

    private void CheckModelFile(Llama4EngineOptions options, List<string> errors)
    {
        var key = Key(_path, nameof(Llama4EngineOptions.ModelPath));
        var fix = $"Set {key} (environment variable {key.Replace(":", "__", StringComparison.Ordinal)}) to the path of a Llama 4 .gguf file.";
        try
        {
            // The same pre-flight checks the engine runs before llama.cpp sees the file, plus whether the model can run
            // with these options; it reads the header only.
            Llama4MemoryEstimator.Estimate(options);
        }
        catch (Llama4ModelValidationException ex)
        {
            errors.Add($"{key} '{options.ModelPath}' cannot be used ({ex.Problem}): {ex.Message} {fix}");
        }
        catch (ArgumentException ex)
        {
            errors.Add($"{_path}: the model '{options.ModelPath}' cannot run with these settings: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{key} '{options.ModelPath}' cannot be read: {ex.Message} {fix}");
        }
    }

    private static void CheckDefined<TEnum>(List<string> errors, string section, string name, TEnum value)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            errors.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"{Key(section, name)} is {value}; use one of {string.Join(", ", Enum.GetNames<TEnum>())}."));
        }
    }

    private static bool IsDefault(string? name) => string.IsNullOrEmpty(name) || name == Options.DefaultName;

    private static ValidateOptionsResult Result(List<string> errors) =>
        errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);

    /// <summary>Prefixes a message that starts with a setting's name (as every options' Validate writes them) with the section path.</summary>
    private static string Prefix(string path, string message) => path.Length == 0 ? message : path + ":" + message;

    internal static string Key(string path, string name) => path.Length == 0 ? name : path + ":" + name;
}
