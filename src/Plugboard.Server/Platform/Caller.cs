using System.Security.Claims;

namespace Plugboard.Server.Platform;

/// Who is calling, as established by authentication: a platform key (every project of its
/// platform) or a project key (one project only).
public sealed record Caller(string PlatformId, string ActorType, string ActorId, string? ProjectId, string OwnerUserId)
{
    public const string PlatformKeyActor = "PLATFORM_API_KEY";
    public const string ProjectKeyActor = "PROJECT_API_KEY";

    public bool IsPlatformAdmin => ProjectId is null;

    public static Caller From(ClaimsPrincipal user) => new(
        user.FindFirstValue(ClaimNames.PlatformId) ?? throw new InvalidOperationException("Unauthenticated caller."),
        user.FindFirstValue(ClaimNames.ActorType)!,
        user.FindFirstValue(ClaimNames.ActorId)!,
        user.FindFirstValue(ClaimNames.ProjectId),
        user.FindFirstValue(ClaimNames.OwnerUserId)!);

    public IEnumerable<Claim> ToClaims()
    {
        yield return new Claim(ClaimNames.PlatformId, PlatformId);
        yield return new Claim(ClaimNames.ActorType, ActorType);
        yield return new Claim(ClaimNames.ActorId, ActorId);
        yield return new Claim(ClaimNames.OwnerUserId, OwnerUserId);
        if (ProjectId is not null)
        {
            yield return new Claim(ClaimNames.ProjectId, ProjectId);
        }
    }
}

public static class ClaimNames
{
    public const string PlatformId = "plugboard:platform";
    public const string ActorType = "plugboard:actor_type";
    public const string ActorId = "plugboard:actor";
    public const string ProjectId = "plugboard:project";
    public const string OwnerUserId = "plugboard:owner_user";
}
