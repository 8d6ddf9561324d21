using FluentAssertions;
using NUnit.Framework;
using Pipelines.Catalog.Storage;

namespace Pipelines.Tests.CatalogConsolidator.Storage;

public class SpoolFilePoolTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Path.Combine(Path.GetTempPath(), "catalog-spool-tests", Guid.NewGuid().ToString("N"));

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static string Written(string path, int bytes)
    {
        File.WriteAllBytes(path, new byte[bytes]);
        return path;
    }

    [Test]
    public void Files_leased_at_the_same_time_are_different_files_in_the_pool_directory()
    {
        var pool = new SpoolFilePool(_dir, retainedBytes: 1_000);

        var a = pool.Lease();
        var b = pool.Lease();

        a.Should().NotBe(b);
        Path.GetDirectoryName(a).Should().Be(_dir);
        Path.GetDirectoryName(b).Should().Be(_dir);
    }

    [Test]
    public void A_returned_file_is_leased_again_largest_first_and_keeps_its_bytes_until_overwritten()
    {
        var pool = new SpoolFilePool(_dir, retainedBytes: 1_000);
        var small = Written(pool.Lease(), 100);
        var large = Written(pool.Lease(), 400);

        pool.Return([small, large]);

        pool.Lease().Should().Be(large);
        pool.Lease().Should().Be(small);
        new FileInfo(large).Length.Should().Be(400, "reuse writes over the bytes instead of creating the file anew");
        new[] { small, large }.Should().NotContain(pool.Lease());
    }

    [Test]
    public void Files_beyond_the_retained_budget_are_deleted_keeping_the_largest_that_fit()
    {
        var pool = new SpoolFilePool(_dir, retainedBytes: 500);
        var a = Written(pool.Lease(), 300);
        var b = Written(pool.Lease(), 250);
        var c = Written(pool.Lease(), 150);

        pool.Return([a, b, c]);

        File.Exists(a).Should().BeTrue();
        File.Exists(b).Should().BeFalse("300 + 250 is over the 500 bytes kept");
        File.Exists(c).Should().BeTrue();
        Directory.GetFiles(_dir).Sum(f => new FileInfo(f).Length).Should().BeLessThanOrEqualTo(500);
    }

    [Test]
    public void A_new_pool_starts_from_an_empty_directory()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "spool-0.jsonl"), "left by an earlier process\n");

        var pool = new SpoolFilePool(_dir, retainedBytes: 1_000);

        Directory.GetFiles(_dir).Should().BeEmpty();
        File.Exists(pool.Lease()).Should().BeFalse();
    }

    [Test]
    public void Discarded_files_are_deleted_and_never_leased_again()
    {
        var pool = new SpoolFilePool(_dir, retainedBytes: 1_000);
        var a = Written(pool.Lease(), 10);

        SpoolFilePool.Discard([a]);

        File.Exists(a).Should().BeFalse();
        pool.Lease().Should().NotBe(a);
    }
}
