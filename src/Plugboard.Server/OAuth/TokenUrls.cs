using Plugboard.Server.Http;
using Plugboard.Server.OAuth.Outbound;

namespace Plugboard.Server.OAuth;

/// Where token requests go: the value's token_url or the provider's, filled in and checked by the
/// outbound policy, for the claim and for every refresh alike.
public sealed class TokenUrls(OutboundHttp outbound)
{
    /// The token URL after `{prop}` interpolation, checked by the outbound policy as the exact URL that is sent.
    public Outcome<Uri> Resolve(OAuthValue value, OAuthProvider provider)
    {
        var template = value.TokenUrl ?? provider.TokenUrl;
        if (template.Length == 0)
        {
            return ApiError.Validation($"value.token_url is required: provider {provider.Name} has no token URL of its own.", "value.token_url");
        }
        var (filled, error) = UrlTemplate.Fill(template, value.Props, provider.DefaultProps);
        if (error is not null)
        {
            return ApiError.Validation(error, "value.props");
        }
        return Check(filled!) is { } refused
            ? ApiError.Validation(refused, "value.token_url")
            : new Uri(filled!);
    }

    public string? Check(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? outbound.RefusalFor(uri) : "The token URL must be an absolute http(s) URL.";
}
