/** Where keyless signing goes: the public Sigstore instance by default, a private deployment when given. */
export interface KeylessEndpoints {
  fulcioURL: string;
  rekorURL: string;
  tsaURL?: string;
}

export const PUBLIC_SIGSTORE: KeylessEndpoints = {
  fulcioURL: 'https://fulcio.sigstore.dev',
  rekorURL: 'https://rekor.sigstore.dev',
};
