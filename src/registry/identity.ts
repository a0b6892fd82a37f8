/**
 * What a Fulcio certificate's identity (its SAN) says about who signed: a CI workflow of a source repository, for
 * GitHub Actions and GitLab CI; anything else is kept whole as the signer.
 */
export function workflowIdentity(
  san: string,
): { repository: string; workflow: string; ref: string } | { signer: string } {
  const github = /^(https:\/\/github\.com\/[^/]+\/[^/]+)\/(\.github\/workflows\/[^@]+)@(.+)$/.exec(san);
  if (github) return { repository: github[1]!, workflow: github[2]!, ref: github[3]! };
  const gitlab = /^(https:\/\/gitlab\.com\/.+?)\/\/(.+)@(.+)$/.exec(san);
  if (gitlab) return { repository: gitlab[1]!, workflow: gitlab[2]!, ref: gitlab[3]! };
  return { signer: san };
}
