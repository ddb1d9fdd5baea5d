/**
 * Tiny Plutus V2 validators for the devnet tests, compiled with `@helios-lang/compiler` 0.17.31
 * (`new Program(src).compile(false).toCbor()`, single-CBOR; apply `applyDoubleCborEncoding`).
 *
 * spending guarded
 * func main(_: Data, r: Int) -> Bool { if (r == 42) { true } else { error("redeemer must be 42") } }
 */
export const GUARDED_SPEND_CBOR =
  '586f586d0100002223232323232325333573466002600a012600801029309801a4811976616c69646174696f6e2072657475726e65642066616c736500225333573466006002902a0a5115130044911372656465656d6572206d7573742062652034320070e4a66ae7000459d680090009'

/**
 * minting guarded_mint
 * func main(r: Int) -> Bool { if (r == 7) { true } else { error("mint redeemer must be 7") } }
 */
export const GUARDED_MINT_CBOR =
  '586958670100002232323232533357346002600800c29309801a491976616c69646174696f6e2072657475726e65642066616c7365002533357346600400290070a5115130034901176d696e742072656465656d6572206d75737420626520370070e4a66ae7000459d681'
