namespace Duban.Data;

/// <summary>Where the data lives. Bound from the "Duban" configuration section.</summary>
public sealed class DataOptions
{
    /// <summary>Folder for the embedded SQLite database (and later, uploaded files).</summary>
    public string DataDir { get; set; } = "data";
    public DatabaseOptions Database { get; set; } = new();
}

public sealed class DatabaseOptions
{
    /// <summary><c>Sqlite</c> (default, embedded) or <c>Postgres</c>.</summary>
    public string Provider { get; set; } = "Sqlite";
}
