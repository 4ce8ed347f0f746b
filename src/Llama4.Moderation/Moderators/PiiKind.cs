namespace Llama4.Moderation;

/// <summary>The kinds of personal data and secrets <see cref="PiiModerator"/> finds, with the placeholder each is replaced by.</summary>
public enum PiiKind
{
    /// <summary>An email address. Placeholder <c>[EMAIL]</c>.</summary>
    EmailAddress,

    /// <summary>A phone number in international (<c>+</c>), North American or common national (leading 0) format. Placeholder <c>[PHONE]</c>.</summary>
    PhoneNumber,

    /// <summary>A payment card number with a known issuer prefix and length and a valid Luhn check digit. Placeholder <c>[PAYMENT_CARD]</c>.</summary>
    PaymentCard,

    /// <summary>An IBAN with the length of its country and a valid mod-97 checksum. Placeholder <c>[IBAN]</c>.</summary>
    Iban,

    /// <summary>A US Social Security number that follows the issuance rules (area, group, serial). Placeholder <c>[US_SSN]</c>.</summary>
    UsSocialSecurityNumber,

    /// <summary>An IPv4 or IPv6 address (not a version number). Placeholder <c>[IP_ADDRESS]</c>.</summary>
    IPAddress,

    /// <summary>An API key, access token, private key block, JWT or high-entropy credential assignment. Placeholder <c>[SECRET]</c>.</summary>
    Secret,
}
