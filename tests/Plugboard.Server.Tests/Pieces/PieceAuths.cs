namespace Plugboard.Server.Tests.Pieces;

public static class PieceAuths
{
    public static readonly object GelatoCustomAuth = new
    {
        type = "CUSTOM_AUTH",
        displayName = "Gelato API",
        required = true,
        props = new
        {
            api_key = new { displayName = "API key", type = "SECRET_TEXT", required = true, pattern = "^gel_" },
            region = new { displayName = "Region", type = "STATIC_DROPDOWN", required = false, options = new[] { "eu", "us" } },
            sandbox = new { displayName = "Sandbox", type = "CHECKBOX", required = false },
            limit = new { displayName = "Limit", type = "NUMBER", required = false },
        },
    };

    public static readonly object GoogleOAuth = new { type = "OAUTH2", displayName = "Google", provider = "google", scope = new[] { "email" }, pkce = true };
}
