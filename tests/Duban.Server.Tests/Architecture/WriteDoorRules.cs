using System.Reflection;
using Duban.Data;
using Duban.Data.Writes;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Server.Tests.Architecture;

/// <summary>
/// Where a change of state may be written (docs/decisions/019-one-write-door.md): server code binds, authorises, runs a
/// write through the door or a read query, and answers; in Duban.Data only the door saves, the jobs keep their leases,
/// storage and start-up do their own work — handlers change tracked rows and leave the saving to the door.
/// </summary>
public sealed class WriteDoorRules
{
    private static readonly Assembly Server = typeof(Program).Assembly;
    private static readonly Assembly Data = typeof(DubanDbContext).Assembly;

    /// <summary>Calls that save, change tracked state behind the door's back, or send SQL of their own.</summary>
    private static bool Saves(string callee)
    {
        var (type, member) = Split(callee);
        if (type.EndsWith("DbContext", StringComparison.Ordinal) || type == "Microsoft.EntityFrameworkCore.DbSet`1")
            return member is "SaveChanges" or "SaveChangesAsync" or "get_ChangeTracker";
        if (type.StartsWith("Microsoft.EntityFrameworkCore.ChangeTracking.", StringComparison.Ordinal)) return member.Length > 0;
        if (member.StartsWith("ExecuteUpdate", StringComparison.Ordinal) || member.StartsWith("ExecuteDelete", StringComparison.Ordinal)) return true;
        if (type is "Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions" or "Microsoft.EntityFrameworkCore.Infrastructure.DatabaseFacade")
            return member.StartsWith("ExecuteSql", StringComparison.Ordinal) || member.StartsWith("SqlQuery", StringComparison.Ordinal)
                || member.StartsWith("BeginTransaction", StringComparison.Ordinal);
        if (type == "Microsoft.EntityFrameworkCore.RelationalQueryableExtensions") return member.StartsWith("FromSql", StringComparison.Ordinal);
        if (type is "Microsoft.AspNetCore.Identity.UserManager`1" or "Microsoft.AspNetCore.Identity.RoleManager`1")
            return member is "CreateAsync" or "UpdateAsync" or "DeleteAsync" or "AddToRoleAsync" or "AddToRolesAsync" or "RemoveFromRoleAsync"
                or "RemoveFromRolesAsync" or "ResetPasswordAsync" or "ChangePasswordAsync" or "AddPasswordAsync" or "RemovePasswordAsync"
                or "SetLockoutEndDateAsync" or "SetLockoutEnabledAsync" or "UpdateSecurityStampAsync" or "SetUserNameAsync";
        return false;
    }

    /// <summary>Tracked changes (add, remove, attach): fine in a handler, where the door saves them; not in server code.</summary>
    private static bool Tracks(string callee)
    {
        var (type, member) = Split(callee);
        return (type.EndsWith("DbContext", StringComparison.Ordinal) || type == "Microsoft.EntityFrameworkCore.DbSet`1")
            && member is "Add" or "AddAsync" or "AddRange" or "AddRangeAsync" or "Remove" or "RemoveRange" or "Update" or "UpdateRange"
                or "Attach" or "AttachRange" or "Entry";
    }

    /// <summary>
    /// Namespaces of Duban.Data allowed to save: the door, storage (provider SQL), the jobs' lease bookkeeping, the
    /// numbering interceptor, the data-protection key store, the migrations, and the first-start setup, which runs before
    /// anyone can act, under the start-up lock, each step in a transaction with its own record (decision 020).
    /// </summary>
    private static readonly string[] DataMaySave =
    [
        "Duban.Data.Writes", "Duban.Data.Storage", "Duban.Data.Jobs", "Duban.Data.Security", "Duban.Data.Numbering", "Duban.Data.Startup",
        "Duban.Data.Migrations",
    ];

    [Fact]
    public void Server_code_writes_only_through_the_door()
    {
        var offenders = IlCalls.Of(Server).Where(c => Saves(c.Callee) || Tracks(c.Callee))
            .GroupBy(c => c.Caller).ToDictionary(g => g.Key, g => g.Select(c => c.Callee).Distinct().Order().ToList());
        Assert.True(offenders.Count == 0, "Server code must run writes through WriteDoor, not save or track changes itself:\n"
            + string.Join("\n", offenders.Select(o => $"{o.Key}: {string.Join(", ", o.Value)}")));
    }

    /// <summary>ASP.NET Identity's managers, which save by themselves after each step.</summary>
    private static bool IdentitySaves(string callee) =>
        Split(callee).Type is "Microsoft.AspNetCore.Identity.UserManager`1" or "Microsoft.AspNetCore.Identity.RoleManager`1" && Saves(callee);

    [Fact]
    public void In_Duban_Data_only_the_door_saves()
    {
        var calls = IlCalls.Of(Data);
        // A handler may hand a step to Identity once it has opened the door's transaction (the door commits it after its
        // own save, or rolls it back): the type that calls Identity must call WriteContext.BeginTransactionAsync.
        var inDoorTransaction = calls.Where(c => c.Callee == "Duban.Data.Writes.WriteContext::BeginTransactionAsync").Select(c => c.Caller).ToHashSet();
        var offenders = calls
            .Where(c => Saves(c.Callee) && !(IdentitySaves(c.Callee) && inDoorTransaction.Contains(c.Caller)))
            .Where(c => c.Caller != typeof(DubanDbContext).FullName && !DataMaySave.Any(ns => c.CallerNamespace == ns || c.CallerNamespace.StartsWith(ns + ".", StringComparison.Ordinal)))
            .GroupBy(c => c.Caller).ToDictionary(g => g.Key, g => g.Select(c => c.Callee).Distinct().Order().ToList());
        Assert.True(offenders.Count == 0, "A handler changes tracked rows; the door saves them:\n"
            + string.Join("\n", offenders.Select(o => $"{o.Key}: {string.Join(", ", o.Value)}")));
    }

    /// <summary>
    /// The feature namespaces of Duban.Data form layers: records, the door, the runtime, supervision — each uses only
    /// those below it. The root namespace (the database context, which names every table by design, the registration and
    /// the shared exceptions) is the hub every feature uses, and is left out; so are the generated migrations.
    /// </summary>
    [Fact]
    public void The_namespaces_of_Duban_Data_depend_on_each_other_without_loops()
    {
        static bool Feature(string ns) => ns.StartsWith("Duban.Data.", StringComparison.Ordinal) && !ns.StartsWith("Duban.Data.Migrations", StringComparison.Ordinal);
        var edges = IlCalls.Of(Data)
            .Select(c => (From: c.CallerNamespace, To: Namespace(Split(c.Callee).Type)))
            .Where(e => Feature(e.From) && Feature(e.To) && e.From != e.To)
            .Distinct().ToList();
        var loops = StronglyConnected(edges.ToLookup(e => e.From, e => e.To)).Where(c => c.Count > 1)
            .Select(c => string.Join(" ⇄ ", c.Order()) + "\n  " + string.Join("\n  ", edges.Where(e => c.Contains(e.From) && c.Contains(e.To)).Select(e => $"{e.From} → {e.To}")))
            .ToList();
        Assert.True(loops.Count == 0, "Namespaces of Duban.Data that depend on each other in a loop:\n" + string.Join("\n", loops));
    }

    [Fact]
    public void Every_write_has_one_handler()
    {
        var services = new ServiceCollection().AddWriteHandlers(Data);
        var writes = Data.GetTypes().Where(t => !t.IsAbstract && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IWrite<>))).ToList();
        Assert.NotEmpty(writes);
        foreach (var write in writes)
        {
            var result = write.GetInterfaces().Single(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IWrite<>)).GetGenericArguments()[0];
            var contract = typeof(IWriteHandler<,>).MakeGenericType(write, result);
            Assert.True(services.Count(d => d.ServiceType == contract) == 1, $"{write.Name} needs exactly one IWriteHandler<{write.Name}, {result.Name}>");
        }
    }

    private static (string Type, string Member) Split(string callee)
    {
        var i = callee.IndexOf("::", StringComparison.Ordinal);
        return (callee[..i], callee[(i + 2)..]);
    }

    private static string Namespace(string type)
    {
        var outer = type.Split('+')[0];
        var dot = outer.LastIndexOf('.');
        return dot < 0 ? "" : outer[..dot];
    }

    /// <summary>Tarjan's strongly connected components.</summary>
    private static List<List<string>> StronglyConnected(ILookup<string, string> edges)
    {
        var nodes = edges.Select(g => g.Key).Concat(edges.SelectMany(g => g)).Distinct().ToList();
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var result = new List<List<string>>();
        var counter = 0;
        void Visit(string v)
        {
            index[v] = low[v] = counter++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in edges[v])
            {
                if (!index.TryGetValue(w, out var seen))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                    low[v] = Math.Min(low[v], seen);
            }
            if (low[v] != index[v]) return;
            var component = new List<string>();
            string x;
            do
            {
                x = stack.Pop();
                onStack.Remove(x);
                component.Add(x);
            } while (x != v);
            result.Add(component);
        }
        foreach (var node in nodes.Where(n => !index.ContainsKey(n))) Visit(node);
        return result;
    }
}
