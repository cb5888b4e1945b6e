#include "device/signatures.h"

#include <blkid/blkid.h>

#include <cstdlib>
#include <cstring>

namespace engine {

namespace {

std::string lookup(blkid_probe pr, const char* name)
{
    const char* v = nullptr;
    if (blkid_probe_lookup_value(pr, name, &v, nullptr) == 0 && v)
        return v;
    return {};
}

} // namespace

std::vector<Signature> probeSignatures(int fd)
{
    std::vector<Signature> out;
    blkid_probe pr = blkid_new_probe();
    if (!pr)
        return out;
    if (blkid_probe_set_device(pr, fd, 0, 0) != 0) {
        blkid_free_probe(pr);
        return out;
    }
    blkid_probe_enable_superblocks(pr, 1);
    blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE | BLKID_SUBLKS_USAGE |
                                              BLKID_SUBLKS_MAGIC | BLKID_SUBLKS_BADCSUM);
    blkid_probe_enable_partitions(pr, 1);
    blkid_probe_set_partitions_flags(pr, BLKID_PARTS_MAGIC | BLKID_PARTS_FORCE_GPT);
    // Each call continues with the next prober, so the loop sees every
    // signature, not only the first or an unambiguous one.
    while (blkid_do_probe(pr) == 0) {
        Signature s;
        s.type = lookup(pr, "TYPE");
        if (!s.type.empty()) {
            s.usage = lookup(pr, "USAGE");
            s.offset = std::strtoull(lookup(pr, "SBMAGIC_OFFSET").c_str(), nullptr, 10);
        } else {
            s.type = lookup(pr, "PTTYPE");
            s.partitionTable = true;
            s.offset = std::strtoull(lookup(pr, "PTMAGIC_OFFSET").c_str(), nullptr, 10);
        }
        if (!s.type.empty())
            out.push_back(std::move(s));
    }
    blkid_free_probe(pr);
    return out;
}

std::string describeSignature(const Signature& s)
{
    // The first names are the ones front ends translate (ui::Format::signature).
    static const struct
    {
        const char* type;
        bool table;
        const char* text;
    } kKnown[] = {
        {"gpt", true, "a GPT partition table"},
        {"dos", true, "a partition table (MBR)"},
        {"ext2", false, "an ext2/3/4 file system"},
        {"ext3", false, "an ext2/3/4 file system"},
        {"ext4", false, "an ext2/3/4 file system"},
        {"ext4dev", false, "an ext2/3/4 file system"},
        {"jbd", false, "an ext2/3/4 file system"},
        {"ntfs", false, "an NTFS file system"},
        {"vfat", false, "a FAT file system"},
        {"xfs", false, "an XFS file system"},
        {"swap", false, "a swap area"},
        {"LVM2_member", false, "an LVM physical volume"},
        {"crypto_LUKS", false, "a LUKS encrypted volume"},
        {"btrfs", false, "a Btrfs file system"},
        {"f2fs", false, "an F2FS file system"},
        {"exfat", false, "an exFAT file system"},
        {"squashfs", false, "a SquashFS file system"},
        {"iso9660", false, "an ISO 9660 file system"},
        {"udf", false, "a UDF file system"},
        {"linux_raid_member", false, "a Linux RAID member"},
        {"zfs_member", false, "a ZFS pool member"},
        {"bcache", false, "a bcache device"},
    };
    for (const auto& k : kKnown)
        if (k.table == s.partitionTable && s.type == k.type)
            return k.text;
    if (s.partitionTable)
        return "a partition table (" + s.type + ")";
    if (s.usage == "filesystem")
        return "a " + s.type + " file system";
    if (s.usage == "raid")
        return "a RAID or volume manager member (" + s.type + ")";
    if (s.usage == "crypto")
        return "an encrypted volume (" + s.type + ")";
    return "a " + s.type + " signature";
}

} // namespace engine
