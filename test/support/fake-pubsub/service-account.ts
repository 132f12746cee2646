/**
 * A fake Pub/Sub that only accepts tokens it issued, and the service-account
 * key (JSON, as Google issues it) whose signed assertions it issues them for.
 */
import { exportPKCS8, exportSPKI, generateKeyPair } from "jose";
import { type FakePubsub, startFakePubsub } from "./index.js";

export async function fakePubsubWithServiceAccount(
  topics: string[],
): Promise<{ fake: FakePubsub; keyJson: string }> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const fake = await startFakePubsub({
    projectId: "p",
    topics,
    tokenPublicKey: await exportSPKI(publicKey),
    expectToken: "issued",
  });
  const keyJson = JSON.stringify({
    client_email: "edge@p.iam.gserviceaccount.com",
    private_key: await exportPKCS8(privateKey),
    token_uri: fake.tokenUrl,
  });
  return { fake, keyJson };
}
