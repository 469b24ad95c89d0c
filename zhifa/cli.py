"""Console script: `zhifa <management command>` (zhifa migrate, zhifa seed, zhifa bench …)."""
import os
import sys


def main() -> None:
    if sys.argv[1:2] == ["verify-archive"]:
        # Offline: no settings, no database (the package may be checked on any machine).
        from zhifa.records.archive_verify import main as verify_archive

        sys.exit(verify_archive(sys.argv[2:]))
    if sys.argv[1:2] == ["verify-proof"]:
        from zhifa.disclosure.verify_proof import main as verify_proof  # offline, like verify-archive

        sys.exit(verify_proof(sys.argv[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["zhifa", *sys.argv[1:]])


if __name__ == "__main__":
    main()
