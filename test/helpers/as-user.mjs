// `node as-user.mjs UID GID SCRIPT ARGS…`: drops to UID/GID (the process starts as root), then
// runs SCRIPT with ARGS as its own argv. Lets a root test run the CLI as an unprivileged user
// without that user needing access to the node binary (often under root's home).
const [uid, gid, script, ...args] = process.argv.slice(2);
process.setgid(Number(gid));
process.setuid(Number(uid));
process.argv = [process.argv[0], script, ...args];
await import(script);
