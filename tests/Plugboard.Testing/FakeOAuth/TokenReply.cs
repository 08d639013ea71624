using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Plugboard.Testing.FakeOAuth;

/// The answer to a /token call that was not an injected failure.
internal sealed record TokenReply(int Status, string? Error, string? Description = null, string? FamilyId = null)
{
    public TokenSet? Tokens { get; init; }

    public bool ChallengeBasic { get; init; }

    public static TokenReply Issued(TokenSet tokens, string? familyId) =>
        new(StatusCodes.Status200OK, null, null, familyId) { Tokens = tokens };

    public static TokenReply InvalidGrant(string description, string? familyId) =>
        new(StatusCodes.Status400BadRequest, "invalid_grant", description, familyId);

    public static TokenReply InvalidClient(bool usedBasic) =>
        new(StatusCodes.Status401Unauthorized, "invalid_client") { ChallengeBasic = usedBasic };

    public static TokenReply UnsupportedGrantType() =>
        new(StatusCodes.Status400BadRequest, "unsupported_grant_type");

    public Task WriteAsync(HttpResponse response)
    {
        if (ChallengeBasic)
        {
            response.Headers[HeaderNames.WWWAuthenticate] = "Basic realm=\"fake-oauth\"";
        }
        return Tokens is { } tokens
            ? JsonReplies.WriteAsync(response, Status, tokens.WriteMembers)
            : JsonReplies.WriteErrorAsync(response, Status, Error!, Description);
    }
}

internal sealed record TokenSet(string AccessToken, string? RefreshToken, int? ExpiresIn, string? Scope)
{
    public void WriteMembers(System.Text.Json.Utf8JsonWriter writer)
    {
        writer.WriteString("access_token", AccessToken);
        writer.WriteString("token_type", "Bearer");
        if (ExpiresIn is { } expiresIn)
        {
            writer.WriteNumber("expires_in", expiresIn);
        }
        if (RefreshToken is not null)
        {
            writer.WriteString("refresh_token", RefreshToken);
        }
        if (Scope is not null)
        {
            writer.WriteString("scope", Scope);
        }
    }
}
