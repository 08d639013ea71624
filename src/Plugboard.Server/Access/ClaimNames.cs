namespace Plugboard.Server.Access;

/// The claims every authentication scheme puts on its principal, read back by <see cref="Caller.From"/>.
public static class ClaimNames
{
    public const string PlatformId = "plugboard:platform";
    public const string ActorType = "plugboard:actor_type";
    public const string ActorId = "plugboard:actor";
    public const string ProjectId = "plugboard:project";
    public const string OwnerUserId = "plugboard:owner_user";
    public const string Role = "plugboard:project_role";
}
