using Microsoft.AspNetCore.Http.Metadata;

namespace Plugboard.Server.Http;

/// The door every request passes once it is authenticated, before any handler binds it: a NUL in a query
/// value or route value, or a JSON body the server could not store and write back out (see
/// <see cref="JsonBodyScan"/>), is a 400 VALIDATION naming the parameter or JSON path, never a 500 from a
/// database or serializer deeper down.
public static class RequestChecks
{
    private const int MaxNameLength = 100;

    public static WebApplication UseRequestChecks(this WebApplication app)
    {
        app.Use(CheckAsync);
        return app;
    }

    private static async Task CheckAsync(HttpContext http, Func<Task> next)
    {
        if ((ParameterError(http) ?? await BodyErrorAsync(http)) is { } error)
        {
            await new ApiErrorResult(error).ExecuteAsync(http);
            return;
        }
        await next();
    }

    /// PostgreSQL text cannot hold a NUL; no id, name or filter has one.
    private static ApiError? ParameterError(HttpContext http)
    {
        foreach (var (key, values) in http.Request.Query)
        {
            if (key.Contains('\0', StringComparison.Ordinal))
            {
                return Nul("query", "A query parameter name");
            }
            if (values.Any(v => v?.Contains('\0', StringComparison.Ordinal) == true))
            {
                var name = StorableText.Clip(key, MaxNameLength);
                return Nul(name, name);
            }
        }
        foreach (var (key, value) in http.Request.RouteValues)
        {
            if (value is string text && text.Contains('\0', StringComparison.Ordinal))
            {
                return Nul(key, key);
            }
        }
        return http.Request.Path.Value?.Contains('\0', StringComparison.Ordinal) == true ? Nul("path", "The path") : null;
    }

    private static ApiError Nul(string field, string subject) =>
        ApiError.Validation($"{subject} must not contain the NUL character (%00).", field);

    /// Only routes that bind a JSON body, and only bodies sent as JSON (anything else is the framework's 415).
    private static async Task<ApiError?> BodyErrorAsync(HttpContext http)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>() is not { } accepts || !http.Request.HasJsonContentType())
        {
            return null;
        }
        // Buffered so the handler's binding reads it again; the 1 MiB limit (Kestrel's) still applies while reading.
        http.Request.EnableBuffering();
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, http.RequestAborted);
        http.Request.Body.Position = 0;
        if (body.Length == 0 && accepts.IsOptional)
        {
            return null;
        }
        return JsonBodyScan.Check(body.GetBuffer().AsSpan(0, (int)body.Length), requireObject: BindsAnObject(accepts.RequestType));
    }

    private static bool BindsAnObject(Type? type) =>
        type is null || (type != typeof(string) && !type.IsPrimitive && !typeof(System.Collections.IEnumerable).IsAssignableFrom(type));
}
