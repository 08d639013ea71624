namespace Plugboard.Testing.FakeOAuth;

/// Tokens of a new refresh-token family, as if an authorization code had been exchanged earlier.
public sealed record IssuedTokens(string AccessToken, string RefreshToken, string FamilyId, int ExpiresIn);
