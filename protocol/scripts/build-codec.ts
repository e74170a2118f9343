console.log("codec: not generated yet");
