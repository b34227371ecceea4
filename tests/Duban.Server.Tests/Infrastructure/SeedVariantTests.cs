namespace Duban.Server.Tests.Infrastructure;

/// <summary>
/// Seeded templates are keyed by their variant (docs/decisions/025): variants made separately with the same values must
/// be the same key, or every test on the virtual clock migrates and seeds a database of its own.
/// </summary>
public sealed class SeedVariantTests
{
    private static readonly DateTimeOffset Day = new(2026, 9, 14, 9, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void Variants_made_separately_with_the_same_values_are_one_key_and_other_values_are_another()
    {
        var once = VirtualClockHosts.SetUpOn(Day);
        var again = VirtualClockHosts.SetUpOn(Day);
        Assert.Equal(once, again);
        Assert.Equal(once.GetHashCode(), again.GetHashCode());
        Assert.Single(new HashSet<SeedVariant> { once, again, new(DemoItems: false, Clock: Day) });

        Assert.NotEqual(once, VirtualClockHosts.SetUpOn(Day.AddDays(1)));
        Assert.NotEqual(once, new SeedVariant(DemoItems: true, Clock: Day));
        Assert.NotEqual(DubanFixture.Variant, SeedVariant.Default);
        Assert.Equal("false", once.Settings["Duban:Seed:DemoItems"]);
        Assert.Equal("true", SeedVariant.Default.Settings["Duban:Seed:DemoItems"]);
    }
}
