namespace Plugboard.Server.Data;

/// Lengths shared by the model and the migrations, so the two cannot drift apart.
public static class Lengths
{
    public const int Id = 64;
    public const int Name = 255;
    public const int ExternalId = 255;
    public const int Enum = 32;
    public const int Hash = 64;
    public const int Reason = 500;
    public const int StableKey = 128;
}
