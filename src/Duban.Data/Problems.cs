namespace Duban.Data;

/// <summary>The thing asked for does not exist, or the caller may not see it. HTTP 404.</summary>
public sealed class NotFoundException(string message) : Exception(message);

/// <summary>The caller may see it but not do this. HTTP 403.</summary>
public sealed class ForbiddenException(string message) : Exception(message);
