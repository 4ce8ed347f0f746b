namespace Llama4.Moderation;

/// <summary>The kinds of personal data and secrets <see cref="PiiModerator"/> finds, with the placeholder each is replaced by.</summary>
public enum PiiKind
{
    /// <summary>An email address, also written obfuscated (<c>ada [at] example [dot] com</c>). Placeholder <c>[EMAIL]</c>.</summary>
    EmailAddress,

    /// <summary>A phone number in international (<c>+</c>), North American or common national (leading 0) format. Placeholder <c>[PHONE]</c>.</summary>
    PhoneNumber,

    /// <summary>
    /// A payment card number with a known issuer prefix and length and a valid Luhn check digit, in digits of any script,
    /// in groups, one digit at a time or in words ("four one one one..."). Placeholder <c>[PAYMENT_CARD]</c>. A card's
    /// security code (after CVV, CVC... or next to a card number) and an expiry date given with a card number or a
    /// security code are this kind too, with placeholders <c>[CARD_CVV]</c> and <c>[CARD_EXPIRY]</c>.
    /// </summary>
    PaymentCard,

    /// <summary>An IBAN with the length of its country and a valid mod-97 checksum. Placeholder <c>[IBAN]</c>.</summary>
    Iban,

    /// <summary>A US Social Security number that follows the issuance rules (area, group, serial). Placeholder <c>[US_SSN]</c>.</summary>
    UsSocialSecurityNumber,

    /// <summary>An IPv4 or IPv6 address (not a version number). Placeholder <c>[IP_ADDRESS]</c>.</summary>
    IPAddress,

    /// <summary>
    /// An API key, access token, private key block, JWT, high-entropy credential assignment, or a password, passcode or
    /// PIN given in words ("my password is ...", "pwd: ..."). Placeholder <c>[SECRET]</c>.
    /// </summary>
    Secret,

    /// <summary>A street address: a house number, a street name and a street suffix ("221B Baker Street", "1600 Pennsylvania Ave NW"). Placeholder <c>[ADDRESS]</c>.</summary>
    StreetAddress,
}
