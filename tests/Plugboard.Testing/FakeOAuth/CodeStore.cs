using System.Collections.Concurrent;

namespace Plugboard.Testing.FakeOAuth;

/// One-time authorization codes. A failed exchange leaves the code usable; only a success spends it.
internal sealed class CodeStore
{
    private readonly ConcurrentDictionary<string, IssuedCode> _codes = new(StringComparer.Ordinal);

    public string Issue(string clientId, string redirectUri, string? codeChallenge, string codeChallengeMethod, string? scope)
    {
        if (codeChallenge is not null && !Pkce.IsSupported(codeChallengeMethod))
        {
            throw new ArgumentException($"Unsupported code_challenge_method '{codeChallengeMethod}'; use S256 or plain.", nameof(codeChallengeMethod));
        }
        var code = RandomTokens.Code();
        _codes[code] = new IssuedCode(clientId, redirectUri, codeChallenge, codeChallengeMethod, scope);
        return code;
    }

    public CodeRedemption Redeem(string? code, string clientId, string? redirectUri, string? codeVerifier)
    {
        if (code is null || !_codes.TryGetValue(code, out var issued))
        {
            return CodeRedemption.Failed("unknown authorization code");
        }
        if (issued.IsSpent)
        {
            return CodeRedemption.Failed("authorization code already used");
        }
        if (issued.ClientId != clientId)
        {
            return CodeRedemption.Failed("authorization code was issued to another client");
        }
        if (issued.RedirectUri != redirectUri)
        {
            return CodeRedemption.Failed("redirect_uri does not match the authorization request");
        }
        if (issued.CodeChallenge is not null && codeVerifier is null)
        {
            return CodeRedemption.Failed("code_verifier required");
        }
        if (issued.CodeChallenge is not null && !Pkce.Matches(issued.CodeChallenge, issued.CodeChallengeMethod, codeVerifier!))
        {
            return CodeRedemption.Failed("code_verifier does not match the code_challenge");
        }
        // Two racing exchanges of one code: exactly one wins.
        return issued.TrySpend() ? new CodeRedemption(issued, null) : CodeRedemption.Failed("authorization code already used");
    }
}

internal sealed class IssuedCode(string clientId, string redirectUri, string? codeChallenge, string codeChallengeMethod, string? scope)
{
    private int _spent;

    public string ClientId { get; } = clientId;
    public string RedirectUri { get; } = redirectUri;
    public string? CodeChallenge { get; } = codeChallenge;
    public string CodeChallengeMethod { get; } = codeChallengeMethod;
    public string? Scope { get; } = scope;

    public bool IsSpent => Volatile.Read(ref _spent) == 1;

    public bool TrySpend() => Interlocked.Exchange(ref _spent, 1) == 0;
}

internal readonly record struct CodeRedemption(IssuedCode? Code, string? Failure)
{
    public static CodeRedemption Failed(string description) => new(null, description);
}
