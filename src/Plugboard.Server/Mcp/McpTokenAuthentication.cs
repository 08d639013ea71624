using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.Platform;

namespace Plugboard.Server.Mcp;

/// Who speaks MCP: the server its token selects, and so the project and platform.
public sealed record McpCaller(string PlatformId, string ProjectId, string ServerId)
{
    public const string ActorType = "MCP_SERVER";
    private const string ServerIdClaim = "plugboard:mcp_server_id";
    private const string PlatformIdClaim = "plugboard:mcp_platform_id";
    private const string ProjectIdClaim = "plugboard:mcp_project_id";

    public static McpCaller From(ClaimsPrincipal? user) => new(
        user?.FindFirstValue(PlatformIdClaim) ?? throw new InvalidOperationException("Unauthenticated MCP caller."),
        user.FindFirstValue(ProjectIdClaim)!,
        user.FindFirstValue(ServerIdClaim)!);

    public ClaimsPrincipal ToPrincipal(string scheme) => new(new ClaimsIdentity(
        [new Claim(ServerIdClaim, ServerId), new Claim(PlatformIdClaim, PlatformId), new Claim(ProjectIdClaim, ProjectId)], scheme));

    public static void RequireIn(Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder policy) => policy.RequireClaim(ServerIdClaim);
}

/// `Authorization: Bearer mcp_...` on /mcp: the token is hashed and looked up by hash on every request, never cached,
/// so a rotated or deleted token is refused on the next request on every replica. A missing, unknown, rotated or deleted
/// token, and one of a disabled platform, get the same 401: nothing says whether a server exists.
public sealed class McpTokenAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, PlugboardDb db, PlatformStatus platforms)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "McpToken";
    public const string Policy = "Mcp";
    private const int MaxTokenLength = 256;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }
        var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : "";
        if (!presented.StartsWith(McpTokens.Prefix, StringComparison.Ordinal) || presented.Length > MaxTokenLength)
        {
            return AuthenticateResult.Fail("invalid MCP token");
        }
        var hash = McpTokens.Hash(presented);
        var server = await db.McpServers.AsNoTracking()
            .Where(s => s.TokenHash == hash)
            .Select(s => new { s.Id, s.PlatformId, s.ProjectId, s.TokenHash })
            .FirstOrDefaultAsync(Context.RequestAborted);
        if (server is null || !McpTokens.FixedTimeEquals(server.TokenHash, hash) || await platforms.IsDisabledAsync(server.PlatformId, Context.RequestAborted))
        {
            return AuthenticateResult.Fail("invalid MCP token");
        }
        var caller = new McpCaller(server.PlatformId, server.ProjectId, server.Id);
        return AuthenticateResult.Success(new AuthenticationTicket(caller.ToPrincipal(SchemeName), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        new ApiErrorResult(ApiError.Authentication("A valid MCP server token is required: Authorization: Bearer <token from POST /api/v1/mcp-servers>."))
            .ExecuteAsync(Context);
}
