async function i(t){throw new Error(`Sign-in with Entra ID (client ${t.clientId}) is not part of this build.`)}export{i as msalAuth};
