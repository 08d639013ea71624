namespace Plugboard.Server.OAuth;

/// The form of each token request (reference §5.3 and §7): code exchange, client_credentials and
/// refresh. Refreshes carry no redirect_uri (it broke Google refreshes in the reference, issue #2998).
public static class OAuthGrants
{
    public static TokenGrant Exchange(Uri tokenUrl, OAuthValue value, OAuthProvider provider, string clientId, string? clientSecret)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("grant_type", OAuthValue.AuthorizationCode),
            new("code", value.Code!),
            new("redirect_uri", value.RedirectUrl!),
        };
        if (value.CodeVerifier is { } verifier)
        {
            fields.Add(new("code_verifier", verifier));
        }
        return Build(tokenUrl, value, provider, clientId, clientSecret, fields);
    }

    /// client_credentials sends the scope (the value's, else the provider's, with `{prop}` filled in) and,
    /// as the reference does, every prop as a form field.
    public static (TokenGrant? Grant, string? Error) ClientCredentials(Uri tokenUrl, OAuthValue value, OAuthProvider provider, string clientId, string? clientSecret)
    {
        var (scope, error) = UrlTemplate.Fill(value.Scope ?? string.Join(provider.ScopeSeparator, provider.Scopes), value.Props, provider.DefaultProps);
        if (error is not null)
        {
            return (null, error);
        }
        var fields = new List<KeyValuePair<string, string>> { new("grant_type", OAuthValue.ClientCredentials) };
        if (scope is { Length: > 0 })
        {
            fields.Add(new("scope", scope));
        }
        fields.AddRange(value.Props.Where(p => p.Key is not ("grant_type" or "client_id" or "client_secret" or "scope")));
        return (Build(tokenUrl, value, provider, clientId, clientSecret, fields), null);
    }

    public static TokenGrant Refresh(Uri tokenUrl, OAuthValue value, OAuthProvider provider, string clientId, string? clientSecret) =>
        Build(tokenUrl, value, provider, clientId, clientSecret,
            [new("grant_type", "refresh_token"), new("refresh_token", value.RefreshToken!)]);

    private static TokenGrant Build(Uri tokenUrl, OAuthValue value, OAuthProvider provider, string clientId, string? clientSecret,
        List<KeyValuePair<string, string>> fields)
    {
        foreach (var (key, extra) in provider.TokenParams)
        {
            if (fields.All(f => f.Key != key))
            {
                fields.Add(new(key, extra));
            }
        }
        var headerAuth = (value.AuthorizationMethod ?? provider.ClientAuthMethod) == "HEADER";
        return new TokenGrant(tokenUrl, clientId, clientSecret, headerAuth, fields);
    }
}
