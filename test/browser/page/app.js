// The test page's script: imports the browser bundle of the SDK and, when the test calls
// `window.lagoonApp.run(params)`, registers a fresh layer-2 key (CIP-8, through the WebAssembly
// CML), builds and signs a transfer with the bundle and submits it with `createLagoonClient`.
import * as lagoon from './lagoon.browser.js'

const status = document.getElementById('status')
const results = document.getElementById('results')

function show(label, value) {
  const row = document.createElement('tr')
  const name = document.createElement('td')
  name.textContent = label
  const cell = document.createElement('td')
  const code = document.createElement('code')
  code.textContent = value
  cell.append(code)
  row.append(name, cell)
  results.append(row)
}

async function run(params) {
  const { toHex, fromHex } = lagoon
  status.textContent = 'running…'
  const hash = await lagoon.loadBlake2b256() // libsodium's WebAssembly BLAKE2b
  show('blake2b-256', `libsodium, H("abc") = ${toHex(hash(new TextEncoder().encode('abc'))).slice(0, 16)}…`)

  // A fresh layer-2 key for the account, from the browser's CSPRNG.
  const { signer, secretKey } = lagoon.generateL2Signer(params.account)
  show('layer-2 key', toHex(signer.publicKey))

  // CIP-8 in the browser: sign and check a key authorization with the WebAssembly CML.
  const authorization = { instance: fromHex(params.instance), account: fromHex(params.account), l2Key: signer.publicKey, terms: fromHex(params.terms), epoch: 0 }
  const cip8 = lagoon.signKeyAuthorization(params.address, authorization, params.walletKey)
  const cip8Check = lagoon.verifyKeyAuthorization(fromHex(params.account), cip8)
  show('CIP-8 check', cip8Check.ok ? 'the key authorization verifies' : `refused: ${cip8Check.message}`)

  const client = createClient(params, hash)
  const registration = await client.register({ wallet: lagoon.privateKeyWallet(params.walletKey), address: params.address, l2Key: signer.publicKey })
  show('registered', `account ${registration.account.slice(0, 16)}… at seq ${registration.seq}`)

  const account = await client.getAccount({ account: params.account })
  const tx = lagoon.buildSignedTx(
    { instance: fromHex(params.instance), signer: fromHex(params.account), nonce: account.nonce, fee: 0n, actions: [{ type: 'transfer', to: fromHex(params.to), amount: BigInt(params.amount) }] },
    secretKey,
    hash,
  )
  const selfCheck = lagoon.verifyEd25519Noble(signer.publicKey, tx.id, tx.signature)
  const roundTrip = toHex(lagoon.decodeSignedTx(tx.bytes, hash, lagoon.DEFAULT_LIMITS).id) === toHex(tx.id)
  show('signed tx id', toHex(tx.id))
  show('signed tx', `${tx.bytes.length} bytes of CBOR`)
  const receipt = await client.submitTx({ tx })
  show('receipt', `seq ${receipt.seq}, log head ${receipt.logHead.slice(0, 16)}…`)
  const after = await client.getAccount({ account: params.account })
  show('balance after', `${after.balance} lovelace`)
  status.textContent = 'signed and submitted a transfer from the browser bundle'
  status.className = 'ok'
  return {
    userAgent: navigator.userAgent,
    publicKey: toHex(signer.publicKey),
    txHex: toHex(tx.bytes),
    txId: toHex(tx.id),
    selfCheck,
    roundTrip,
    cip8Ok: cip8Check.ok,
    registrationSeq: registration.seq,
    receipt,
    balanceAfter: after.balance.toString(),
  }
}

function createClient(params, hash) {
  return lagoon.createLagoonClient({ url: new URL(params.nodePath, location.href).href, token: params.token, instance: params.instance, terms: params.terms, hash })
}

window.lagoonApp = {
  exports: Object.keys(lagoon).sort(),
  run: (params) =>
    run(params).catch((e) => {
      status.textContent = `error: ${e?.message ?? e}`
      status.className = 'error'
      throw e
    }),
}
status.textContent = 'bundle loaded'
window.lagoonReady = true
