namespace Plugboard.Testing.FakeOAuth;

/// One POST /token as the provider saw and answered it.
/// Form holds every field sent, with client_secret, code, code_verifier and refresh_token shown as "***".
/// Status is what was (or, for an injected timeout, would be) answered; 499 when the client hung up first.
/// Error is the "error" member of the answer, null on success and for the HTML error page.
public sealed record TokenCall(
    DateTimeOffset At,
    string GrantType,
    string? ClientId,
    string? FamilyId,
    int Status,
    string? Error,
    IReadOnlyDictionary<string, string> Form,
    string? AuthorizationHeaderScheme);
