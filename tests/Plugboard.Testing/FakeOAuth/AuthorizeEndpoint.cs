using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Plugboard.Testing.FakeOAuth;

/// GET /authorize: consent is implied; redirects straight back with a code, as IssueCode would make it.
internal sealed class AuthorizeEndpoint(ProviderState state)
{
    private IReadOnlyDictionary<string, string> _lastQuery = new Dictionary<string, string>();

    private readonly Lock _gate = new();
    private (string Error, string Description)? _denyNext;

    public IReadOnlyDictionary<string, string> LastQuery => Volatile.Read(ref _lastQuery);

    /// The next consent is refused: the user goes back with error and error_description instead of a code.
    public void DenyNext(string error, string description)
    {
        lock (_gate)
        {
            _denyNext = (error, description);
        }
    }

    private (string Error, string Description)? TakeDenial()
    {
        lock (_gate)
        {
            var denial = _denyNext;
            _denyNext = null;
            return denial;
        }
    }

    public Task HandleAsync(HttpContext context)
    {
        var query = context.Request.Query.ToDictionary(pair => pair.Key, pair => pair.Value.ToString(), StringComparer.Ordinal);
        Volatile.Write(ref _lastQuery, query);

        if (query.GetValueOrDefault("response_type") != "code")
        {
            return JsonReplies.WriteErrorAsync(context.Response, StatusCodes.Status400BadRequest, "unsupported_response_type");
        }
        if (!state.Clients.Exists(query.GetValueOrDefault("client_id")))
        {
            return JsonReplies.WriteErrorAsync(context.Response, StatusCodes.Status400BadRequest, "invalid_client");
        }
        if (!Uri.TryCreate(query.GetValueOrDefault("redirect_uri"), UriKind.Absolute, out _))
        {
            return JsonReplies.WriteErrorAsync(context.Response, StatusCodes.Status400BadRequest, "invalid_request", "redirect_uri must be an absolute URI");
        }
        var challenge = query.GetValueOrDefault("code_challenge");
        // RFC 7636 §4.3: a challenge without a method is "plain".
        var method = query.GetValueOrDefault("code_challenge_method") ?? Pkce.Plain;
        if (challenge is not null && !Pkce.IsSupported(method))
        {
            return JsonReplies.WriteErrorAsync(context.Response, StatusCodes.Status400BadRequest, "invalid_request", "code_challenge_method must be S256 or plain");
        }

        var redirectUri = query["redirect_uri"];
        if (TakeDenial() is { } denial)
        {
            var refused = new Dictionary<string, string?> { ["error"] = denial.Error, ["error_description"] = denial.Description, ["state"] = query.GetValueOrDefault("state") };
            context.Response.Redirect(QueryHelpers.AddQueryString(redirectUri, refused));
            return Task.CompletedTask;
        }
        var code = state.Codes.Issue(query["client_id"], redirectUri, challenge, method, query.GetValueOrDefault("scope"));
        var back = new Dictionary<string, string?> { ["code"] = code };
        if (query.TryGetValue("state", out var clientState))
        {
            back["state"] = clientState;
        }
        context.Response.Redirect(QueryHelpers.AddQueryString(redirectUri, back));
        return Task.CompletedTask;
    }
}
