using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plugboard.Server.Http;
using Plugboard.Server.OAuth.Outbound;

namespace Plugboard.Server.OAuth;

/// One token request: the URL (already interpolated and checked), the client and the form fields.
public sealed record TokenGrant(Uri TokenUrl, string ClientId, string? ClientSecret, bool HeaderAuth, IReadOnlyList<KeyValuePair<string, string>> Fields)
{
    public string GrantType => Fields.First(f => f.Key == "grant_type").Value;
}

public enum TokenFailureKind
{
    /// The grant is dead (invalid_grant, unauthorized_client, revoked…): only the user can fix it.
    Permanent,
    /// Network, timeout, 5xx, 429, an unreadable answer: try again later.
    Transient,
}

/// A failed token request, described without the provider's raw body: the OAuth `error` code and a
/// short, cleaned `error_description`. `AnswerLost`: the request went out but no answer came back (a timeout,
/// a dropped connection), so the provider may have acted on it, rotating the refresh token.
public sealed record TokenFailure(
    TokenFailureKind Kind, string Error, string? Description, int? HttpStatus = null, TimeSpan? RetryAfter = null, bool AnswerLost = false)
{
    public string Message => Description is { Length: > 0 } d ? $"{Error}: {d}" : Error;
}

/// Calls a provider's token URL through the SSRF-guarded client and classifies the answer (RFC 6749 §5).
public sealed class TokenEndpoint(OutboundHttp outbound, OutboundOptions options)
{
    /// Error codes after which retrying the same grant cannot succeed (RFC 6749 §5.2, plus the
    /// provider spellings of "revoked" seen in the wild: Slack, GitHub, Microsoft).
    private static readonly HashSet<string> PermanentErrors = new(StringComparer.OrdinalIgnoreCase)
    {
        "invalid_grant", "unauthorized_client", "invalid_client", "access_denied", "token_revoked", "invalid_refresh_token",
        "bad_refresh_token", "invalid_auth", "account_inactive", "interaction_required", "consent_required",
    };

    private static readonly HashSet<string> TokenFields = ["access_token", "expires_in", "refresh_token", "scope", "token_type"];

    public async Task<(JsonObject? Tokens, TokenFailure? Failure)> RequestAsync(TokenGrant grant, CancellationToken ct)
    {
        if (outbound.RefusalFor(grant.TokenUrl) is { } refusal)
        {
            return (null, new TokenFailure(TokenFailureKind.Permanent, "token_url_refused", refusal));
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, grant.TokenUrl);
        var fields = grant.Fields.ToList();
        if (grant.HeaderAuth)
        {
            var pair = $"{Uri.EscapeDataString(grant.ClientId)}:{Uri.EscapeDataString(grant.ClientSecret ?? "")}";
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
        }
        else
        {
            fields.Add(new("client_id", grant.ClientId));
            if (grant.ClientSecret is not null)
            {
                fields.Add(new("client_secret", grant.ClientSecret));
            }
        }
        request.Content = new FormUrlEncodedContent(fields);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        try
        {
            using var response = await outbound.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var body = await OutboundHttp.ReadCappedAsync(response, options.MaxResponseBytes, ct);
            return Classify(response, body);
        }
        catch (Exception e) when (OutboundRefusedException.IsRefusal(e, out var refused))
        {
            return (null, new TokenFailure(TokenFailureKind.Permanent, "token_url_refused", refused!.Message));
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, new TokenFailure(TokenFailureKind.Transient, "timeout", "The provider did not answer in time.", AnswerLost: true));
        }
        catch (HttpRequestException e)
        {
            return (null, new TokenFailure(TokenFailureKind.Transient, "network_error", e.HttpRequestError.ToString(), AnswerLost: MayHaveBeenSent(e.HttpRequestError)));
        }
        catch (IOException)
        {
            // The connection dropped while the answer was being read.
            return (null, new TokenFailure(TokenFailureKind.Transient, "network_error", "The connection dropped during the answer.", AnswerLost: true));
        }
    }

    /// Failures before a connection to the provider existed cannot have reached it; anything later may have.
    private static bool MayHaveBeenSent(HttpRequestError error) => error is not (HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError
        or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError or HttpRequestError.ConfigurationLimitExceeded);

    /// Splits a token response the way the reference's formatOAuth2Response does: the standard fields,
    /// claimed_at (seconds) and `data` holding the rest.
    public static JsonObject Format(JsonObject response, long claimedAt)
    {
        var result = new JsonObject();
        foreach (var field in TokenFields)
        {
            if (response[field] is { } value && value.GetValueKind() != JsonValueKind.Null)
            {
                result[field] = value.DeepClone();
            }
        }
        if (result["expires_in"] is JsonValue e && e.GetValueKind() == JsonValueKind.String && long.TryParse(e.GetValue<string>(), out var seconds))
        {
            result["expires_in"] = seconds;
        }
        result["claimed_at"] = claimedAt;
        var data = new JsonObject();
        foreach (var (key, value) in response.Where(p => !TokenFields.Contains(p.Key)))
        {
            data[key] = value?.DeepClone();
        }
        result["data"] = data;
        return result;
    }

    private static (JsonObject?, TokenFailure?) Classify(HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        var json = TryParse(body, response.Content.Headers.ContentType?.MediaType);
        if (status is >= 200 and < 300 && json?["access_token"] is JsonValue token && token.TryGetValue<string>(out var at) && at.Length > 0)
        {
            return (json, null);
        }
        var error = Clean(json?["error"] is JsonValue ev && ev.TryGetValue<string>(out var code) ? code : null, 64);
        var description = Clean(json?["error_description"] is JsonValue dv && dv.TryGetValue<string>(out var d) ? d : null, 200);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        if (status is 408 or 429 or >= 500)
        {
            return (null, new TokenFailure(TokenFailureKind.Transient, error ?? $"http_{status}", description, status, retryAfter));
        }
        if (error is not null)
        {
            var kind = PermanentErrors.Contains(error) ? TokenFailureKind.Permanent : TokenFailureKind.Transient;
            return (null, new TokenFailure(kind, error, description, status, retryAfter));
        }
        return (null, new TokenFailure(TokenFailureKind.Transient, json is null ? "unreadable_response" : "no_access_token",
            $"The provider answered HTTP {status} without a token.", status, retryAfter));
    }

    private static JsonObject? TryParse(string body, string? mediaType)
    {
        if (mediaType == "application/x-www-form-urlencoded")
        {
            var form = new JsonObject();
            foreach (var pair in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var kv = pair.Split('=', 2);
                form[WebUtility.UrlDecode(kv[0])] = kv.Length == 2 ? WebUtility.UrlDecode(kv[1]) : "";
            }
            return form;
        }
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// Provider text goes into statuses and error bodies: printable characters only, and short.
    private static string? Clean(string? text, int max)
    {
        if (text is null)
        {
            return null;
        }
        var printable = StorableText.Repair(new string(text.Where(c => !char.IsControl(c)).ToArray()).Trim());
        return StorableText.Clip(printable, max);
    }
}
