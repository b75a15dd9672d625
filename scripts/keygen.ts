// `npm run -s keygen`: a new Ed25519 signing key as a private JWK, for the OUTPOST_SIGNING_KEY secret on Workers.
import { generateSigningJwk } from '../hub/src/registry/signing-keys.ts';

console.log(JSON.stringify(await generateSigningJwk()));
