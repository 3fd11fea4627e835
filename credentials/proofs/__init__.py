"""Signing and verifying Verifiable Credentials (VC data model 2.0) with a Data
Integrity proof, cryptosuite `eddsa-rdfc-2022`: JSON-LD canonicalisation with the
contexts shipped here (`jsonld`), the issuer's Ed25519 keys and their DIDs (`keys`),
the proof itself (`dataintegrity`) and Bitstring Status Lists for revocation
(`statuslist`). A library: it reads settings but no database."""
