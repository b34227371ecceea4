using System.Security.Cryptography;
using System.Text;
using Duban.Data.Organization;
using Microsoft.AspNetCore.DataProtection;
using OtpNet;

namespace Duban.Data.Security;

/// <summary>
/// The second factor (decision 046): a TOTP secret per person (RFC 6238: 30-second steps, 6 digits, SHA-1 — what every
/// authenticator app reads from an <c>otpauth://</c> URI), kept protected by the installation's data-protection keys, and
/// ten recovery codes kept as SHA-256 hashes. Codes are checked against real time, not the installation's clock, one step
/// either side for a phone's drift; a step once accepted is not accepted again.
/// </summary>
public sealed class SecondFactor(IDataProtectionProvider protection)
{
    public const string Issuer = "督办";
    public const int RecoveryCodeCount = 10;

    private readonly IDataProtector _protector = protection.CreateProtector("Duban.SecondFactor.Secret");

    /// <summary>A new random secret (160 bits), in Base32 as authenticator apps take it.</summary>
    public static string NewSecret() => Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string stored) => _protector.Unprotect(stored);

    /// <summary>The URI an authenticator app scans (or is typed from): issuer 督办, the account name as label.</summary>
    public static string UriOf(string secret, string account) =>
        $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(account)}?secret={secret}&issuer={Uri.EscapeDataString(Issuer)}&algorithm=SHA1&digits=6&period=30";

    /// <summary>The time step a six-digit code matches (the current one or one either side), or null.</summary>
    public long? MatchingStep(string secret, string? code)
    {
        var digits = Normalize(code);
        if (digits is not { Length: 6 } || !digits.All(char.IsAsciiDigit)) return null;
        var totp = new Totp(Base32Encoding.ToBytes(secret));
        return totp.VerifyTotp(DateTime.UtcNow, digits, out var step, VerificationWindow.RfcSpecifiedNetworkDelay) ? step : null;
    }

    /// <summary>Ten recovery codes (xxxxx-xxxxx from an alphabet without look-alikes), shown once; only their hashes are kept.</summary>
    public static List<string> NewRecoveryCodes()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
        return Enumerable.Range(0, RecoveryCodeCount).Select(_ =>
        {
            var chars = Enumerable.Range(0, 10).Select(_ => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]).ToArray();
            return $"{new string(chars, 0, 5)}-{new string(chars, 5, 5)}";
        }).ToList();
    }

    public static string HashRecoveryCode(string code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Normalize(code)!.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant())));

    public static List<string> RecoveryHashes(DubanUser user) =>
        string.IsNullOrEmpty(user.TotpRecoveryCodes) ? [] : [.. user.TotpRecoveryCodes.Split(',')];

    /// <summary>A recovery code looks like one (so a mistyped six-digit code is not tried as one).</summary>
    public static bool LooksLikeRecoveryCode(string? code) => Normalize(code) is { Length: 11 or 10 } c && c.Any(char.IsAsciiLetter);

    private static string? Normalize(string? code) => code?.Replace(" ", "", StringComparison.Ordinal).Trim();
}
