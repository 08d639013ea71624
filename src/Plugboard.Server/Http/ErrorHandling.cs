using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace Plugboard.Server.Http;

public static partial class ErrorHandling
{
    public const long MaxBodyBytes = 1024 * 1024;

    public static IServiceCollection AddPlugboardErrors(this IServiceCollection services)
    {
        // Bad JSON and oversize bodies reach the handler below instead of a bare 400 with no body.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddProblemDetails();
        return services;
    }

    public static WebApplication UsePlugboardErrors(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages(WriteContractBody);
        app.Use(LimitBody);
        return app;
    }

    /// Bodies over 1 MiB are refused with 413 before anything reads them.
    private static Task LimitBody(HttpContext http, Func<Task> next)
    {
        if (http.Request.ContentLength > MaxBodyBytes)
        {
            return new ApiErrorResult(ApiError.PayloadTooLarge(MaxBodyBytes)).ExecuteAsync(http);
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }
        return next();
    }

    /// Errors that the framework answers without a body (no route, wrong method or content type, Kestrel's
    /// own 413 on a chunked body) still get the contract's body.
    private static Task WriteContractBody(StatusCodeContext context)
    {
        var status = context.HttpContext.Response.StatusCode;
        var error = status switch
        {
            StatusCodes.Status404NotFound => ApiError.NotFound("route", null, "Route not found"),
            StatusCodes.Status413PayloadTooLarge => ApiError.PayloadTooLarge(MaxBodyBytes),
            StatusCodes.Status405MethodNotAllowed => ApiError.Http(status, "METHOD_NOT_ALLOWED", "This route does not take that HTTP method."),
            StatusCodes.Status415UnsupportedMediaType => ApiError.Http(status, "UNSUPPORTED_MEDIA_TYPE", "Send the request body as application/json."),
            _ => ApiError.Http(status, $"HTTP_{status}", "The request could not be served."),
        };
        return new ApiErrorResult(error).ExecuteAsync(context.HttpContext);
    }

    private sealed partial class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
        {
            var error = exception switch
            {
                BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => ApiError.PayloadTooLarge(MaxBodyBytes),
                BadHttpRequestException { InnerException: JsonException json } => MalformedJson(json),
                BadHttpRequestException bad => ApiError.Validation(bad.Message.Replace("\"", "'", StringComparison.Ordinal)),
                _ => null,
            };
            if (error is null)
            {
                // Only the type goes to the log: exception messages from deeper layers are not trusted to be secret-free.
                LogUnhandled(logger, exception.GetType().FullName ?? "exception", http.Request.Method, http.Request.Path);
                error = ApiError.Internal();
            }
            await new ApiErrorResult(error).ExecuteAsync(http);
            return true;
        }

        /// Names the field where the JSON broke, never the value found there.
        private static ApiError MalformedJson(JsonException json)
        {
            var path = json.Path is { Length: > 2 } p ? p.TrimStart('$', '.') : null;
            return path is null
                ? ApiError.Validation("The request body is not valid JSON.")
                : ApiError.Validation($"{path} has the wrong type or the JSON is malformed there.", path);
        }

        [LoggerMessage(EventId = 1500, Level = LogLevel.Error, Message = "Unhandled {ExceptionType} on {Method} {Path}")]
        private static partial void LogUnhandled(ILogger logger, string exceptionType, string method, string path);
    }
}
