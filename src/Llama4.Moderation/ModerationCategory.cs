namespace Llama4.Moderation;

/// <summary>
/// Why text was flagged: the Llama Guard 4 hazard taxonomy (S1-S14, in its order), plus the categories of the built-in
/// offline moderators.
/// </summary>
public enum ModerationCategory
{
    /// <summary>S1: violent crimes.</summary>
    ViolentCrimes,

    /// <summary>S2: non-violent crimes.</summary>
    NonViolentCrimes,

    /// <summary>S3: sex-related crimes.</summary>
    SexRelatedCrimes,

    /// <summary>S4: child sexual exploitation.</summary>
    ChildSexualExploitation,

    /// <summary>S5: defamation.</summary>
    Defamation,

    /// <summary>S6: specialized advice (financial, medical, legal).</summary>
    SpecializedAdvice,

    /// <summary>S7: privacy.</summary>
    Privacy,

    /// <summary>S8: intellectual property.</summary>
    IntellectualProperty,

    /// <summary>S9: indiscriminate weapons.</summary>
    IndiscriminateWeapons,

    /// <summary>S10: hate.</summary>
    Hate,

    /// <summary>S11: suicide and self-harm.</summary>
    SuicideAndSelfHarm,

    /// <summary>S12: sexual content.</summary>
    SexualContent,

    /// <summary>S13: elections.</summary>
    Elections,

    /// <summary>S14: code interpreter abuse.</summary>
    CodeInterpreterAbuse,

    /// <summary>Personal data or a secret (email, phone number, payment card, IBAN, SSN, IP address, API key...).</summary>
    Pii,

    /// <summary>An attempt to override the model's instructions, directly or through a tool result or document.</summary>
    PromptInjection,

    /// <summary>Outside the topics the application allows.</summary>
    OffTopic,

    /// <summary>An application-defined rule or Llama Guard category.</summary>
    Custom,

    /// <summary>
    /// The moderator failed or timed out and the failure policy is fail-closed: the text was blocked without a verdict.
    /// </summary>
    ModerationFailed,
}
