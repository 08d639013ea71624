using Microsoft.AspNetCore.Http;

namespace Plugboard.Testing.FakeOAuth;

/// The grant types of POST /token, after the client has been authenticated.
internal sealed class TokenGrants(ProviderState state)
{
    public TokenReply Handle(string grantType, ClientAuthentication client, IFormCollection form)
    {
        if (!client.Succeeded)
        {
            return TokenReply.InvalidClient(usedBasic: client.Scheme is not null);
        }
        var clientId = client.ClientId!;
        return grantType switch
        {
            GrantTypes.AuthorizationCode => ExchangeCode(clientId, form),
            GrantTypes.RefreshToken => Refresh(clientId, form),
            GrantTypes.ClientCredentials => ClientCredentials(form),
            _ => TokenReply.UnsupportedGrantType(),
        };
    }

    private TokenReply ExchangeCode(string clientId, IFormCollection form)
    {
        var redemption = state.Codes.Redeem(Field(form, "code"), clientId, Field(form, "redirect_uri"), Field(form, "code_verifier"));
        if (redemption.Code is not { } code)
        {
            return TokenReply.InvalidGrant(redemption.Failure!, familyId: null);
        }
        var family = state.Families.Create(clientId, code.Scope);
        var tokens = new TokenSet(RandomTokens.AccessToken(), family.CurrentToken, state.Knobs.ExpiresInForResponse, code.Scope);
        return TokenReply.Issued(tokens, family.Id);
    }

    private TokenReply Refresh(string clientId, IFormCollection form)
    {
        var omitRefreshToken = state.Knobs.OmitRefreshTokenOnRefresh;
        // Without a new refresh token in the answer the client keeps the old one, so it must stay valid.
        var rotate = state.Knobs.RotateRefreshTokens && !omitRefreshToken;
        var outcome = state.Families.Refresh(Field(form, "refresh_token"), clientId, rotate);
        if (outcome.Failure is { } failure)
        {
            return TokenReply.InvalidGrant(failure, outcome.Family?.Id);
        }
        var family = outcome.Family!;
        var refreshToken = omitRefreshToken ? null : outcome.RefreshToken;
        var tokens = new TokenSet(RandomTokens.AccessToken(), refreshToken, state.Knobs.ExpiresInForResponse, family.Scope);
        return TokenReply.Issued(tokens, family.Id);
    }

    private TokenReply ClientCredentials(IFormCollection form)
    {
        var tokens = new TokenSet(RandomTokens.AccessToken(), RefreshToken: null, state.Knobs.ExpiresInForResponse, Field(form, "scope"));
        return TokenReply.Issued(tokens, familyId: null);
    }

    private static string? Field(IFormCollection form, string key) =>
        form.TryGetValue(key, out var value) && value.Count > 0 ? value.ToString() : null;
}
