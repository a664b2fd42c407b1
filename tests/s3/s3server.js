// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// A throwaway S3-compatible server for the S3 client tests:
//   node --openssl-legacy-provider tests/s3/s3server.js DATA_DIR [KEY_PEM CERT_PEM]
// listens on 127.0.0.1 on a free port (HTTPS when given a key and a
// certificate) and prints "port N" as its first line on stdout. It checks AWS
// Signature Version 4 on every request; the one account is S3RVER / S3RVER.
// Buckets are addressed path-style only. It exits when its standard input
// closes, so it does not outlive a test process that is killed.
// --openssl-legacy-provider: s3rver encrypts its ListObjectsV2 continuation
// tokens with DES, which OpenSSL 3 (Node.js 17 and later) only has there.
'use strict';

const fs = require('fs');
const S3rver = require('@20minutes/s3rver');

const [directory, keyFile, certFile] = process.argv.slice(2);
if (!directory || Boolean(keyFile) !== Boolean(certFile)) {
  console.error('usage: s3server.js DATA_DIR [KEY_PEM CERT_PEM]');
  process.exit(2);
}

new S3rver({
  address: '127.0.0.1',
  port: 0,
  directory,
  silent: true,
  vhostBuckets: false,
  key: keyFile ? fs.readFileSync(keyFile) : undefined,
  cert: certFile ? fs.readFileSync(certFile) : undefined,
})
  .run()
  .then(({ port }) => {
    console.log(`port ${port}`);
    process.stdin.on('end', () => process.exit(0));
    process.stdin.resume();
  })
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
