global using Llama4.Moderation;
