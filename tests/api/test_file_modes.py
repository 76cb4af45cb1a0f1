"""What the NVR keeps on disk is its own: the data folder is 0700 at every start, generated keys
are 0600, and the database is readable by no other user (docs/design/security.md)."""
import os
import stat


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_data_folder_keys_and_database_are_private(make_server):
    srv = make_server()
    assert mode(srv.data_dir) == 0o700
    for key in ("jwt_secret.key", "encryption.key"):
        assert mode(srv.data_dir / key) == 0o600, key
    assert not list(srv.data_dir.glob("*.tmp-*")), "no temporary key files are left behind"
    if srv.database == "sqlite":
        for database in srv.data_dir.glob("ronin.sqlite*"):
            assert mode(database) & 0o007 == 0, f"{database.name} is {oct(mode(database))}"
    storage = srv.data_dir / "storage"
    assert mode(storage) & 0o007 == 0, oct(mode(storage))

    # Loosened by hand (or by a restore from backup): the next start closes it again.
    srv.stop()
    os.chmod(srv.data_dir, 0o755)
    if srv.database == "sqlite":
        os.chmod(srv.data_dir / "ronin.sqlite", 0o644)
    srv.start()
    assert mode(srv.data_dir) == 0o700
    if srv.database == "sqlite":
        assert mode(srv.data_dir / "ronin.sqlite") == 0o600
