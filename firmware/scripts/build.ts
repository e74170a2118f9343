// Placeholder until issue 3 lands this command.
console.log("firmware build: not implemented yet (issue 3)");
