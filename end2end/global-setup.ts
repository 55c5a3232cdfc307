// `cargo leptos end-to-end` starts the server and the tests at the same moment: wait until the
// server answers /health (500 ms steps, 120 s at most).
const baseURL = process.env.PORTAL_BASE_URL ?? 'http://127.0.0.1:3000';

export default async function globalSetup(): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${baseURL}/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the portal did not answer ${baseURL}/health within 120 s`);
}
