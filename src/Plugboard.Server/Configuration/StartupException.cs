namespace Plugboard.Server.Configuration;

/// A start-up problem an operator can fix; its message says what to set. Never holds a secret.
public sealed class StartupException(string message) : Exception(message);
